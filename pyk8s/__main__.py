"""`python -m pyk8s` runs the `pyk8s` command."""

from pyk8s.cli.main import main

raise SystemExit(main())
