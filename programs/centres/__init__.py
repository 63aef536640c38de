"""The two service centres: their catalogues, service requests and SLA clocks."""
