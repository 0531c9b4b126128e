"""Medications: formulary, renal dosing, titration, regimen checks, MME, ORT, trials, adherence.

Pure clinical core: stdlib only, reads only its own shipped data files (importlib.resources).
"""
