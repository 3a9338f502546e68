"""The admissionregistration API group."""
