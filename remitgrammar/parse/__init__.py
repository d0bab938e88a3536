"""Parse stage: grammar to tree (lark), line tokens to cells, cells to exact values, columns by
position; diagnosis of lines that do not fit."""
