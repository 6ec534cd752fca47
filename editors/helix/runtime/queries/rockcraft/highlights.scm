; inherits: yaml
; rockcraft.yaml is YAML: Helix looks queries up by language name, so the rockcraft
; language takes the highlights of Helix's own yaml queries.
