#!/usr/bin/env python3
"""Prints each failed test in the given .trx files with the start of its message and stack.

test.sh calls this before its summary line, so that the end of a long CI log (often all
that is kept) names what failed, not only how many.
"""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
MAX_LINES = 25

failures = 0
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as error:
        print(f"(could not read {path}: {error})")
        continue
    for result in root.iterfind(".//t:UnitTestResult", NS):
        if result.get("outcome") not in ("Failed", "Error", "Timeout", "Aborted"):
            continue
        failures += 1
        print(f"--- FAILED ({path.rsplit('/', 1)[-1]}): {result.get('testName')}")
        for part in ("Message", "StackTrace"):
            node = result.find(f"t:Output/t:ErrorInfo/t:{part}", NS)
            if node is not None and node.text:
                lines = node.text.strip().splitlines()
                for line in lines[:MAX_LINES]:
                    print(f"    {line}")
                if len(lines) > MAX_LINES:
                    print(f"    ... ({len(lines) - MAX_LINES} more lines)")
if failures:
    print(f"--- {failures} failed test(s) listed above")
