"""Exports: every file briefmap writes of a view, a scene or a walkthrough, whoever asks.

- `formats`: the registry of export formats (name, suffix, media type, builder, pack writer,
  the options that apply); `briefmap export`, the app's sidebar and the pack all read it;
- `request`: what an export is asked for (`Request`), what it gives (`Product`), `ProductError`;
- `products`: what a combination of options means (refusing those that mean nothing), the
  command line's requests, and building and writing the files;
- `builders`: the view's and a scene's files (map picture, offline HTML, GeoJSON, CSV);
- `features`: report features as GeoJSON and CSV text, and the CLI's filters read as a view;
- `pack/`: the walkthrough's briefing pack (PPTX, PDF, HTML).

May import: the core modules (`layers.model`, `layers.view*`, `layers.marking`, ...),
`layers.snapshot`, `layers.render`, the event store's read side. Never `layers.cli`, the app
(`dashboard`) or Streamlit. Nothing is imported here: a module of the package loads only what
it needs (python-pptx and matplotlib stay out of a command that writes no file).
"""
