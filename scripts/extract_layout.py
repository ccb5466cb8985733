"""Print the `layout:` section of a plan file from the star matrices of a document.

Used once to write the layout of clusterwatch/plans/data/guangdong.yaml from annex 1 of the
manufacturing plan; kept so the step can be repeated and checked:

    python scripts/extract_layout.py ../shared/seeds/002_3b6d5ab2f1885d00.txt 002 pillar emerging
"""

import json
import sys

from clusterwatch.plans.star_matrix import parse_all_star_matrices


def main(path: str, document: str, *tables: str) -> None:
    lines = open(path, encoding="utf-8").read().split("\n")
    matrices = parse_all_star_matrices(lines)
    print("layout:")
    for name, matrix in zip(tables, matrices):
        problems = matrix.check_counts()
        if problems:
            sys.exit("\n".join(problems))
        print(f"  - table: {name}")
        print(f"    document: \"{document}\"")
        print(f"    header_line: {matrix.header_line}")
        print("    marks: {" + ", ".join(f"\"{m}\": {t}" for m, t in matrix.tiers().items()) + "}")
        print(f"    totals_line: {matrix.totals_line}")
        print("    city_totals: {" + ", ".join(f"{c}市: {n}" for c, n in matrix.stated_city_counts.items()) + "}")
        print("    rows:")
        tiers = matrix.tiers()
        for row in matrix.rows:
            print(f"      - cluster: {row.name}")
            print(f"        line: {row.line}")
            print(f"        stated_count: {row.stated_count}")
            print("        text: " + json.dumps(row.text, ensure_ascii=False))
            cells = ", ".join(f"{city}市: {tiers[mark]}" for city, mark in row.marks.items())
            print(f"        cells: {{{cells}}}")


if __name__ == "__main__":
    main(*sys.argv[1:])
