"""The current view: one frozen value shared by the map, exports, URLs and walkthrough scenes."""

from __future__ import annotations

from dataclasses import dataclass

from layers.model import Feature, Geodata


@dataclass(frozen=True)
class View:
    layers: frozenset[str] | None = None  # None: the catalogue's default visibility
    lang: str = "en"

    def visible_layers(self, geodata: Geodata) -> list[str]:
        """Layer ids shown, in catalogue order."""
        if self.layers is None:
            return [lid for lid, layer in geodata.layers.items() if layer.visible]
        return [lid for lid in geodata.layers if lid in self.layers]

    def features(self, geodata: Geodata) -> list[Feature]:
        shown = set(self.visible_layers(geodata))
        return [f for f in geodata.features if f.layer in shown]
