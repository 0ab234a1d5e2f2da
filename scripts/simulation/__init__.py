"""Simulation of a contact centre and its CRM, used by ``scripts.generate_data``."""
