"""Pages of the direct payments app, one module per subdomain: agreements, payment runs, reconciliation,
monitoring, surplus notices, personal assistants and the finance home page; who may open them is
`access.py`. The URL table is `directpayments/urls.py`."""
