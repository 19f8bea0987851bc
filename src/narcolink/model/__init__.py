"""Pure domain: the FtM vocabulary with narcolink's schemata, records, statements, markings."""
