"""`manage.py estimate_charge FILE.json` (or `-` for standard input): the charging engine from the command
line, for finance staff's what-if checks. Prints the result as JSON; bad input prints
`{"errors": {field: message}}` and exits with status 2, never a traceback."""

import json
import sys

from django.core.management.base import BaseCommand

from assessments.estimate import EstimateInputError
from assessments.services import charge_estimate_from_document


class Command(BaseCommand):
    help = "Work out a weekly charge from a JSON description of a person's finances and print it as JSON."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A JSON file, or - to read standard input")

    def _fail(self, errors: dict) -> None:
        self.stdout.write(json.dumps({"errors": errors}, indent=2))
        sys.exit(2)

    def handle(self, *args, file, **options):
        try:
            if file == "-":
                text = sys.stdin.read()
            else:
                with open(file, encoding="utf-8") as handle:
                    text = handle.read()
        except (OSError, UnicodeDecodeError) as exc:
            self._fail({"file": f"Cannot read {file}: {exc}"})
        try:
            # A number with a fraction parses as a float; the parser then refuses it as money (exactness).
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            self._fail({"input": f"Not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"})
        try:
            result = charge_estimate_from_document(document)
        except EstimateInputError as exc:
            self._fail(exc.errors)
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))
