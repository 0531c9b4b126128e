"""painpath: one shared plan of care for chronic neuropathic pain after injury."""

__version__ = "0.1.0"
