"""A bare Django WSGI app serving one fixed 5 KB JSON body: the ceiling http_bench.py compares BoneCare with."""
