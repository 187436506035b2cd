"""The app's pages: one thin script each, run by st.navigation (a package only so the layer contracts can read them)."""
