"""A tiny stand-in for the shim's loader interface, used until the real shim lands."""
