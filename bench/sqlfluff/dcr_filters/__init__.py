"""JinjaSQL and DCR policy filters for sqlfluff's jinja templater, as identity filters.

sqlfluff 1.4 loads library_path modules into the template *context*, not as filters, and it
builds the Jinja environment before loading them. Registering the filters in Jinja's default
filter table on import makes every environment created afterwards (sqlfluff builds a new one
per file) know them; `sqlfluff lint` on several files loads the library before the second
environment of the first file is built.
"""
import jinja2.defaults
import jinja2.filters

NAMES = ['sqlsafe', 'inclause', 'bind', 'join_policy', 'column_policy', 'activation_policy', 'join_and_column_policy']


def _identity(value, *args, **kwargs):
    return value


for _name in NAMES:
    jinja2.filters.FILTERS.setdefault(_name, _identity)
    jinja2.defaults.DEFAULT_FILTERS.setdefault(_name, _identity)
