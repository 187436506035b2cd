"""A sandbox worker process: `python -m workbench.sandbox_worker FD CONFIG_JSON`.

Started by `workbench.sandbox.Sandbox`, never by hand. Kept apart from workbench.sandbox so the
classes it sends back are pickled under their importable names, not `__main__`.
"""

import json
import sys
from multiprocessing.connection import Connection

from workbench.sandbox import Limits, serve

if __name__ == "__main__":
    fd, config = int(sys.argv[1]), json.loads(sys.argv[2])
    serve(Connection(fd), config["db"], config["town"], Limits(**config["limits"]))
