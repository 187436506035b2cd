"""A sandbox worker process: `python -m analytics.sandbox_worker FD CONFIG_JSON`.

Started by `analytics.sandbox.Sandbox`, never by hand. Kept apart from analytics.sandbox so the
classes it sends back are pickled under their importable names, not `__main__`.
"""

import json
import sys
from multiprocessing.connection import Connection

from analytics.sandbox import Limits, serve

if __name__ == "__main__":
    fd, config = int(sys.argv[1]), json.loads(sys.argv[2])
    serve(Connection(fd), config["db"], config["town"], Limits(**config["limits"]))
