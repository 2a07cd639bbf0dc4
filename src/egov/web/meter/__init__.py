"""METER: the multi-stakeholder e-government readiness self-assessment (spec ``meter.md``)."""
