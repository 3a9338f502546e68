"""The flowcontrol API group."""
