import sys

from app.main import main

# Guarded: a training process (spawned, engine/digits/train_process.py) imports this module again
# as its parent's main, and must not start a second window.
if __name__ == "__main__":
    sys.exit(main())
