"""The core pipeline: sources, diagnostics, page graph, Markdown, templates, links, writer.

Nothing here knows about Spanvero's models, prices or advisor; the sections do."""
