"""The JSON Schemas the secretary's editor uses: up to date, accepting every shipped source, rejecting a broken one."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from pipeline.model import SOURCES as MODELS
from pipeline.schema import SCHEMA_FOLDER, schema_name, schema_text
from support import ROOT, SOURCES, TIERP, run_cli


class Yaml12Loader(yaml.SafeLoader):
    """Reads YAML as the editor's language server does (YAML 1.2: a date is a string)."""


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

SHIPPED = sorted([*SOURCES.glob("*.yaml"), *TIERP.glob("*.yaml")])


def validator_for(source: Path) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMA_FOLDER / source.name.replace(".yaml", ".schema.json")).read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.fil)
def test_committed_schema_is_what_the_models_say(model):
    assert (SCHEMA_FOLDER / schema_name(model)).read_text("utf-8") == schema_text(model), "run `make schema`"


@pytest.mark.parametrize("source", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_source_passes_its_schema(source):
    data = yaml.load(source.read_text("utf-8"), Loader=Yaml12Loader)
    assert [e.message for e in validator_for(source).iter_errors(data)] == []


@pytest.mark.parametrize("source", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_shipped_source_names_its_schema_for_the_editor(source):
    first = source.read_text("utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match, first
    assert (source.parent / match[1]).resolve() == (SCHEMA_FOLDER / source.name.replace(".yaml", ".schema.json"))


def test_a_broken_source_is_rejected_by_its_schema():
    source = SOURCES / "uppdrag.yaml"
    data = yaml.load(source.read_text("utf-8"), Loader=Yaml12Loader)
    data["ämen"] = data.pop("ämne")
    data["budget_exklusive_arvoden"] = "tiotusen"
    data["datum"] = "2 november 2017"
    messages = sorted(e.message for e in validator_for(source).iter_errors(data))
    assert len(messages) == 5, messages
    assert any("'ämne' is a required property" in m for m in messages)
    assert any("'ämen' was unexpected" in m for m in messages)
    assert "'2 november 2017' is not a 'date'" in messages


def test_fields_carry_swedish_descriptions_for_the_editor():
    schema = json.loads((SCHEMA_FOLDER / "uppdrag.schema.json").read_text("utf-8"))
    assert schema["properties"]["budget_exklusive_arvoden"]["description"] == "Budget exklusive arvoden, i kronor."
    assert schema["description"] == "uppdrag.yaml: kommunfullmäktiges uppdrag till beredningen."


def test_schema_command_writes_the_schemas(tmp_path):
    result = run_cli("schema", "--out", tmp_path)
    assert result.code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(schema_name(m) for m in MODELS)
    again = run_cli("schema", "--out", tmp_path)
    assert again.out == f"Scheman i {tmp_path} är redan aktuella.\n"
