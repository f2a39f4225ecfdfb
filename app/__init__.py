"""The playground's window (Qt). Importing it turns off Qt's GUI thread pool (app/tuning/qt_pool.py)
before any entry point creates the application; NNPG_TUNING=off leaves it on."""

from app.tuning.qt_pool import turn_off_gui_thread_pool

turn_off_gui_thread_pool()
