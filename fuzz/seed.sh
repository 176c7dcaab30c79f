#!/bin/sh
# Copies small corpus files into fuzz/corpus/<target>/ as seeds (fuzz/corpus is git-ignored).
set -eu
cd "$(dirname "$0")"
mkdir -p corpus/parse_pdf corpus/parse_bytes corpus/parse_text corpus/parse_doc
for f in ../corpus/*/rendered-cid.pdf ../corpus/2024-huaian-hongze-district/source.pdf; do
    d=$(basename "$(dirname "$f")")
    cp "$f" "corpus/parse_pdf/$d-$(basename "$f")"
done
for f in ../corpus/*/rendered-cid.pdf ../corpus/*/source.txt ../corpus/*/source.html; do
    [ -e "$f" ] || continue
    d=$(basename "$(dirname "$f")")
    cp "$f" "corpus/parse_bytes/$d-$(basename "$f")"
done
for f in ../corpus/*/source.txt; do
    d=$(basename "$(dirname "$f")")
    cp "$f" "corpus/parse_text/$d-$(basename "$f")"
done
for f in ../corpus/*/rendered.doc; do
    d=$(basename "$(dirname "$f")")
    cp "$f" "corpus/parse_doc/$d-$(basename "$f")"
done
