"""The apiregistration API group."""
