"""The salt of `customer_key` and of the personal-data hashes (SPEC §7): which one a build uses.

The salt comes from the environment variable CX_CUSTOMER_KEY_SALT (or a `customer_key_salt` dbt var); without
it the build uses the development default written in dbt_project.yml, which is public and therefore protects
nothing. The nightly says so in its summary and run record. The salt itself is never written anywhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

ENV_VAR = "CX_CUSTOMER_KEY_SALT"
DBT_VAR = "customer_key_salt"
_DEFAULT_PATTERN = re.compile(r"env_var\('" + ENV_VAR + r"',\s*'([^']*)'\)")


def development_default(project_dir: Path) -> str:
    """The default of var('customer_key_salt') as dbt_project.yml writes it (the one place it is said)."""
    text = (project_dir / "dbt_project.yml").read_text()
    match = _DEFAULT_PATTERN.search(text)
    if match is None:
        raise ValueError(f"dbt_project.yml: no env_var('{ENV_VAR}', '<default>') for var {DBT_VAR}")
    return match.group(1)


@dataclass(frozen=True)
class Salt:
    value: str
    source: str  # "--vars", "env CX_CUSTOMER_KEY_SALT" or "development default"
    is_development_default: bool

    def digest(self) -> str:
        """A digest that changes when the salt does (for the build fingerprint; never the salt itself)."""
        return hashlib.sha256(self.value.encode()).hexdigest()

    def to_record(self) -> dict[str, object]:
        return {"source": self.source, "is_development_default": self.is_development_default}

    def warning(self) -> str | None:
        if not self.is_development_default:
            return None
        return (
            "customer_key and the email / phone / endpoint hashes use the public development salt; set "
            f"{ENV_VAR} to a secret (docs/operations.md, 'The salt')"
        )


def resolve(project_dir: Path, vars_json: str | None = None, environ: dict[str, str] | None = None) -> Salt:
    """The salt a dbt build with these vars and this environment uses."""
    environ = dict(os.environ) if environ is None else environ
    default = development_default(project_dir)
    overrides = json.loads(vars_json) if vars_json else {}
    if DBT_VAR in overrides:
        value, source = str(overrides[DBT_VAR]), "--vars"
    elif environ.get(ENV_VAR):
        value, source = environ[ENV_VAR], f"env {ENV_VAR}"
    else:
        value, source = default, "development default"
    return Salt(value=value, source=source, is_development_default=value == default)
