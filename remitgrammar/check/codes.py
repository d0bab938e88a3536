"""The finding codes that are not rules of `check` (reading, parsing, labels, specs, internal errors),
each with its title, severity, what it means and what to do: the text `rule CODE`, SARIF logs and
`--statistics` show, shipped in the package (docs/findings.md is not). The rules of `check` (RG3xx,
RG4xx) carry their own title and explanation in the rule registry; `rulesdoc.known_codes` is the one
list of both. No text here names a bundled sample: it is read by people checking their own filings.
"""

from __future__ import annotations

from typing import NamedTuple


class Code(NamedTuple):
    """What a finding code means."""

    title: str
    severity: str     # its usual severity (RG101 is also a warning)
    description: str  # what it checks or reports
    fix: str          # what to do about it


CODES = {
    'RG100': Code('unreadable input', 'error',
               'The file cannot be read, is empty, or is not text (the message names a PDF, an image, a zip, a '
               'damaged gzip).',
               "Give a text report: the filing's .txt, its HTML page, or a gzip of either."),
    'RG101': Code('line fits no line kind', 'error',
               'A line fits none of the line kinds the layout allows at that point: it is skipped (its figures kept '
               'in `extra` under `skipped`) and parsing goes on, resynchronising at the next line that fits (a '
               'section title closes what is open); the message says what the line reads as and what would have '
               'fitted. A warning for a line without figures.',
               "A label or layout drifted: adjust the format's grammar, or force another format."),
    'RG102': Code('text cut off', 'error',
               'The text ends inside a section that has read no row yet (its title, its headings).',
               'The file is truncated: fetch the filing again.'),
    'RG103': Code('unlabelled block rows do not match', 'error',
               'A block printed without class names has a different number of rows than the labelled block above it, '
               'so its rows cannot be matched to classes; they are kept in `extra`.',
               'Check the report; the grammar may need a rule for this block.'),
    'RG104': Code('value outside the columns', 'warning',
               'A value stands over two columns (or none), or the values of a row do not line up with the columns a '
               'heading names: they belong to none, and are kept in `extra`.',
               "Check the report's columns."),
    'RG105': Code('section not mapped', 'error',
               'A section could not be mapped (an unexpected shape inside a parsed section).',
               'Report it with the file.'),
    'RG106': Code('number too long', 'error',
               'An amount-shaped cell has more than 30 digits: no filing prints one; the cell is kept in `extra`, '
               'never read as a number.',
               'Check the file: a corrupted or padded number.'),
    'RG107': Code('line too long', 'error',
               'A line is longer than 2,000 characters: no report prints one; it is left out so that time stays '
               'bounded, and the rest parses.',
               'Check the file: a line without its line ends, or padding.'),
    'RG108': Code('file too large or not regular', 'error',
               'The file is larger than the limit (64 MB by default, `--max-mb`), or not a regular file (a FIFO, a '
               'device).',
               'Give the report file itself; raise the limit for a larger file.'),
    'RG109': Code('required section missing', 'error',
               'A section the format requires (`required: true` in its spec) is not in the report; the message names '
               'it.',
               'The text may be cut off (compare it with the filing on EDGAR), or it prints the section in words the '
               "grammar does not know: adjust the section's title terminal."),
    'RG110': Code('no format matches', 'error',
               "The text matches no known format's detection rules.",
               '`--format NAME` to force one, or add a format.'),
    'RG111': Code('no statement in the submission', 'error',
               'An EDGAR submission holds no statement document (the 8-K body or an EX-99, EX-20 or EX-28 exhibit '
               'with rows of figures); the message lists the documents it holds.',
               'Fetch the filing that carries the monthly statement.'),
    'RG112': Code('several formats match', 'warning',
               'The report matches the detection rules of two formats or more; the message names them and says which '
               'was taken and why (the most evidence).',
               'Force one with `--format NAME`, or tell the formats apart with `detect.forbid`.'),
    'RG113': Code('malformed number', 'error',
               'A token looks like a number but is not a well-formed one: a sign form the reports do not use (`+5`, '
               '`--5`, `(-5)`, a figure dash), digits not grouped by three (`1,2,3`, `27,8036`, a group cut short: '
               '`183,9`, `4,618,268.`), several decimal points, digits of another script, an invisible character '
               'inside it, `NaN`. It is never read as a number (nor as text): its field is left out, the token is '
               'kept in `extra` as printed with its column (`malformed`), and `coverage` counts it as lost.',
               'Check the filing: a misprint, or characters lost or added in transmission.'),
    'RG120': Code('too many lines, or a directory not walked', 'error',
               'A report has more than 100,000 lines (a hundred times a real one), or an HTML statement\'s tables '
               'render to more text than the file holds (cells padded out of proportion): it is read up to that '
               'point and the rest is left out, so that memory stays bounded; or a directory named as input cannot '
               'be walked (a path too long for the system, no permission): its reports are not read.',
               'Split a file of many reports run together, one report a file; give a shorter path to a deep '
               'directory.'),
    'RG121': Code('class table too long', 'error',
               'A class table block holds more than 2,000 rows (a deal prints a few hundred classes at most): the '
               'rows past it are not read, so that memory stays bounded.',
               'Check the file: rows copied over and over, or a table the grammar took for a class table.'),
    'RG122': Code('too many extra values', 'error',
               'More than 50,000 values of a report go to `extra` (a real report keeps a few hundred): those past it '
               'are not kept, so that memory stays bounded; `coverage` counts them as `left_out`.',
               'Check the file: a table the format does not know, copied over and over.'),
    'RG130': Code('same filing given again', 'info',
               'The same filing was given again (a `.gz`, CRLF or cp1252 copy, or a statement saved apart from '
               'the EDGAR submission that carries it): a report is known by its EDGAR accession number, and by '
               'the sha256 of its text once decoded, line ends made one and trailing spaces taken off. The first '
               'one given is read, checked and exported; each other copy gets this one finding, names the first, '
               'and is left out of `parse` and `export` output and of the months `check` compares.',
               'Give each filing once.'),
    'RG201': Code('unmapped row label', 'warning',
               'A row label maps to no canonical field; the values are kept in `extra` with section, label and line.',
               'Add the label to the right alias list (the hint names the scope).'),
    'RG202': Code('unmapped column heading', 'warning',
               'A column heading maps to no canonical field; its cells are kept in `extra`.',
               'Add the heading under `columns.<table>` in the alias spec.'),
    'RG203': Code('row names no class', 'warning',
               'A row of a class table names no class of the distribution summary (a shifted label, or a class the '
               'summary leaves out); kept in `extra`.',
               '`remitgrammar check` explains shifted labels.'),
    'RG204': Code('cell of the wrong type', 'warning',
               "A cell cannot be read as its field's type (a percentage where an amount belongs, a fraction in a "
               'count); kept in `extra`.',
               'Check the alias: the label may map to the wrong field.'),
    'RG205': Code('deal label with several values', 'warning',
               'A deal-level label carries more than one value; kept in `extra`.',
               'Map the label to a per-group field instead.'),
    'RG206': Code('field printed twice, different values', 'warning',
               'A field is printed twice with different values; the record keeps the first, the second goes to '
               '`extra`; the message names both lines.',
               'If both are right they are different fields: give one its own alias (a heading-qualified label, '
               '`OVERCOLLATERALIZATION AMOUNT`).'),
    'RG207': Code('field printed again, agreeing', 'info',
               'A field is printed again with the same value (a reconciliation, or a deduction read through a '
               '`-field` alias); counted as canonical by `coverage`.',
               'Nothing.'),
    'RG210': Code('spec schema', 'error',
               'A format spec or alias file breaks the spec schema: unknown or missing key, wrong type, unknown '
               'scope, invalid YAML.',
               'Fix the key the message names, at the line given.'),
    'RG211': Code('alias to an unknown field', 'error',
               'An alias points at a field that specs/canonical.yaml does not define.',
               'Correct the field name, or add the field to canonical.yaml with its meaning.'),
    'RG212': Code('label mapped twice', 'error',
               'One label is mapped to two fields in the same scope.',
               'Keep it under one field.'),
    'RG213': Code('grammar does not compile or is ambiguous', 'error',
               'A grammar does not compile, LALR finds a conflict in it, or two terminals of one priority both read a'
               " line of the format's sample where the lexer tries both (which one wins would be an accident of "
               "lark's order).",
               "The message names the rule or terminals, at the grammar's line; give one terminal a priority, or a "
               "lookahead that excludes the other's lines."),
    'RG214': Code('sample missing', 'error',
               'A format names no sample report, or the sample is missing.',
               'Add a report of the layout and name it in `sample:`.'),
    'RG215': Code('label read as a YAML mapping', 'error',
               'A label ending in `:` was read by YAML as a mapping, not a label.',
               'Quote it: `"Record Date:"`.'),
    'RG216': Code('field declaration', 'error',
               'A field a format declares under `fields:` has no known type or no meaning, or gives a canonical field'
               ' another type.',
               'Fix the entry at the line given.'),
    'RG217': Code('section role', 'error',
               "A format's `sections:` names an unknown role, a parameter the role does not take, a wrong value, or a"
               ' rule its grammar does not have.',
               'Docs/adding-a-format.md, "Roles", lists every role and parameter.'),
    'RG218': Code('report lines without a role', 'warning',
               'A rule of the grammar holds report lines (class rows, label rows, ...) but neither it nor a rule '
               'around it has a role: its values would be lost.',
               'Give it a role under `sections:`.'),
    'RG219': Code('identity reads an unknown field', 'error',
               'An identity a format declares (`identities:`) reads a field neither canonical.yaml nor the format '
               'defines: misspelt, it would never run.',
               "Correct the path; findings and `remitgrammar parse` show the record's paths."),
    'RG220': Code('formats file not read', 'error',
               'A file of a formats directory is not read: a symlink or path that resolves outside the directory, not'
               ' a regular file (a FIFO, a device, a directory), larger than 1 MB, not UTF-8, or missing; the message'
               ' names the file and the reason, never its text. A run stops with exit 2.',
               'Keep each spec, alias file, error file and grammar a regular file inside its formats directory.'),
    'RG221': Code('YAML too large or nested', 'error',
               'A YAML file of a formats directory holds more than 100,000 values once its aliases (`*name`) are '
               'expanded, has an alias of a value that holds it, or nests deeper than 40 levels: refused before '
               'anything walks it (a run: exit 2).',
               'Write the labels out, or alias whole tables only.'),
    'RG222': Code('detection requires no text', 'error',
               "A format's `detect.require` lists no text with a letter or digit (none, or only blank ones, which "
               'every report holds): it never wins detection, and only `--format NAME` chooses it.',
               'List texts every report of the format prints, and only it.'),
    'RG223': Code('two formats of one name', 'error',
               "Two formats on the search path share a name (a formats directory's and a built-in, or two "
               "directories'): `parse`, `check` and `detect` refuse the clash (exit 2) unless `--format NAME` names "
               'it, which takes the later one.',
               'Rename the format, or name it with `--format`.'),
    'RG224': Code('grammar too large', 'error',
               'A grammar that lark would expand past 5,000 alternatives or 100,000 symbols (each optional item, '
               'choice and bounded repeat written out: `A? B? ... Z?` is 67 million), counted before compiling, or '
               'whose compilation ran past 30 s (a run: exit 2).',
               'Write a run of optional items as a repeated rule (`item*`), or split the rule.'),
    'RG320': Code('per-$1,000 rows shifted', 'warning',
               'The rows of an AMOUNTS PER $1,000 UNIT block carry their class labels rows off; found from the '
               'arithmetic (each factor is a summary amount over the original balance); the message names the rows '
               'and the shift. The values are moved to the classes they belong to unless `--no-repair`.',
               'Nothing: the record is repaired; `--no-repair` keeps the printed layout.'),
    'RG322': Code('per-$1,000 rows contradict their labels', 'error',
               'Most rows of a per-$1,000 block contradict their class labels and no shift of the labels explains '
               'them; kept as printed, not guessed at.',
               'Check the report.'),
    'RG900': Code('internal error', 'error',
               'An unexpected error while reading or parsing a report, or while a role mapped one section (the rest '
               'of the report is read): the message names it, the run goes on; `--debug` shows the traceback.',
               'Please report it, with the file.'),
    'RG901': Code('rule stopped on an internal error', 'error',
               'A rule of `check` stopped on an unexpected error; the other rules still ran.',
               'Please report it, with the file.'),
    'RG902': Code('report timed out', 'error',
               'A report took longer than the per-file time limit (`--timeout`, 60 s by default) and was abandoned.',
               'Report it, with the file: no report should take that long.'),
}
