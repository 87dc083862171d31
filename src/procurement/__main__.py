from .cli import console

if __name__ == "__main__":  # not in a Dask worker process that imports this module as __mp_main__
    console()
