"""What the browser and the offline page draw, in one style: the folium/Leaflet map
(`leaflet`, `popup`, `legend`), colours, dashes and symbols (`style`, `palette`,
`event_style`), label priorities shared with print (`labels`), the basemap's style and
served archive (`basemap`, `basemap_print` for print at full detail), the static assets
(`assets`), the projector view (`projector`), the sources panel (`sources`), the offline HTML
page (`standalone`) and the one HTML/Markdown escaper (`escape`).

May import: the core records (`layers.model`, `layers.walkthrough`, `layers.marking`,
`layers.grades`, `layers.provenance`, `layers.dates`, `layers.contract`, `layers.aliases`),
`layers.reports`, `layers.tiles`, `layers.events.layer`, `layers.paths`, `layers.atomic`;
folium and branca. Never `layers.export`, `layers.cli`, the app or Streamlit.
"""
