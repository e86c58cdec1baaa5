"""Date formats that improve on Django's for a language (``FORMAT_MODULE_PATH``);
anything not set here comes from Django's own locale formats."""
