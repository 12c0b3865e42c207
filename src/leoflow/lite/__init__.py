"""`leoflow lite`: the one-command local edition.

`workspace` (the folder of DAG files, scaffolding, per-workspace data dir, ports), `datastore`
(managed / docker / external Postgres), `reconcile` (store <- compile results, boot reconcile),
`watcher` (hot reload), `app` (the running whole), `tui` (the Textual dashboard).
"""
