"""Serving many viewers: nginx in front of N Streamlit replicas (`make serve`), and the templates a
real server installs (nginx.conf.template, systemd/)."""
