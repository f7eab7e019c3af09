"""JSON Schemas of the source files, generated from the models, for the secretary's editor."""

from __future__ import annotations

import json
from pathlib import Path

from .model import SOURCES, Källa
from .options import SCHEMA_FOLDER
from .publish import write_atomically



def schema_name(model: type[Källa]) -> str:
    return model.fil.replace(".yaml", ".schema.json")


def schema_of(model: type[Källa]) -> dict:
    schema = model.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = model.fil
    return schema


def schema_text(model: type[Källa]) -> str:
    return json.dumps(schema_of(model), ensure_ascii=False, indent=2) + "\n"


def write_schemas(folder: Path = SCHEMA_FOLDER) -> list[Path]:
    """Write one schema per source file; return the files that changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for model in SOURCES:
        path = folder / schema_name(model)
        text = schema_text(model).encode("utf-8")
        if not path.exists() or path.read_bytes() != text:
            write_atomically(path, text)
            changed.append(path)
    return changed
