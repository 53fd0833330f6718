"""Pages of the assessments app, one module per subdomain: assessments (and their benefit checks),
letters, the public estimator, the annual uprating and the rates. The URL table is `assessments/urls.py`."""
