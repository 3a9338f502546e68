"""The cron parser moved to `pyk8s.api.cron` (the CronJob controller needs it and may not import
kinds); this name stays for existing imports."""

from pyk8s.api.cron import CronError, Schedule, go_duration, parse, schedule_error, time_zone_error

__all__ = ["CronError", "Schedule", "go_duration", "parse", "schedule_error", "time_zone_error"]
