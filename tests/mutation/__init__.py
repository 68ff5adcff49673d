"""`make mutate`: mutation testing of the code that keeps data and checks requests (see run.py)."""
