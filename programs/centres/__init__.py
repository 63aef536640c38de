"""The two service centres: their catalogue of services and the enterprises' service requests."""
