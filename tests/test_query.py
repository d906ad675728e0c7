"""SPARQL over a built graph: loading, running, and every output format, exactly."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.errors import InputError, QueryError
from kg.query import (
    QueryResult,
    format_result,
    merge_named_graphs,
    open_store,
    read_query_arg,
    run_query,
    shorten_iri,
)

TRIG = """\
@prefix kgo: <https://kg.example/ontology#> .
@prefix kgr: <https://kg.example/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://kg.example/doc/a> {
    kgr:Seoul a kgo:City ; rdfs:label "서울"@ko .
    kgr:Oh_Se-hoon a kgo:Person ; rdfs:label "오세훈"@ko ; kgo:mayorOf kgr:Seoul .
}

<https://kg.example/doc/b> {
    kgr:Seoul rdfs:label "Seoul"@en .
    kgr:Seoul_AI_Hub a kgo:ResearchOrganization ; rdfs:label "Seoul AI Hub"@en ;
        kgo:foundingDate "2017"^^xsd:gYear ; kgo:locatedIn kgr:Seoul .
}
"""

LABELS = "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?label"


@pytest.fixture
def build(tmp_path: Path) -> Path:
    (tmp_path / "graph.trig").write_text(TRIG, encoding="utf-8")
    return tmp_path


@pytest.fixture
def store(build: Path) -> pyoxigraph.Store:
    return open_store(build)


def query(store: pyoxigraph.Store, sparql: str, fmt: str | None = None) -> str:
    return format_result(run_query(store, sparql), fmt)


# --------------------------------------------------------------------------- SELECT


def test_select_table(store: pyoxigraph.Store) -> None:
    assert query(store, LABELS) == (
        "s                 label\n"
        "----------------  ---------------\n"
        "kgr:Seoul         Seoul@en\n"
        "kgr:Seoul_AI_Hub  Seoul AI Hub@en\n"
        "kgr:Seoul         서울@ko\n"
        "kgr:Oh_Se-hoon    오세훈@ko\n"
        "4 rows\n"
    )


def test_select_table_typed_literals_and_unbound(store: pyoxigraph.Store) -> None:
    sparql = """
        SELECT ?hub ?year ?n ?missing WHERE {
            ?hub kgo:foundingDate ?year .
            OPTIONAL { ?hub kgo:editionNumber ?missing }
            BIND(1 + 1 AS ?n)
        }"""
    assert query(store, sparql, "table") == (
        "hub               year             n  missing\n"
        "----------------  ---------------  -  -------\n"
        "kgr:Seoul_AI_Hub  2017^^xsd:gYear  2\n"
        "1 row\n"
    )


def test_select_table_no_rows(store: pyoxigraph.Store) -> None:
    assert query(store, "SELECT ?s WHERE { ?s a kgo:Country }") == "s\n-\n0 rows\n"


def test_select_csv(store: pyoxigraph.Store) -> None:
    assert query(store, LABELS, "csv") == (
        "s,label\r\n"
        "https://kg.example/id/Seoul,Seoul\r\n"
        "https://kg.example/id/Seoul_AI_Hub,Seoul AI Hub\r\n"
        "https://kg.example/id/Seoul,서울\r\n"
        "https://kg.example/id/Oh_Se-hoon,오세훈\r\n"
    )


def test_select_tsv(store: pyoxigraph.Store) -> None:
    assert query(store, LABELS, "tsv") == (
        "?s\t?label\n"
        '<https://kg.example/id/Seoul>\t"Seoul"@en\n'
        '<https://kg.example/id/Seoul_AI_Hub>\t"Seoul AI Hub"@en\n'
        '<https://kg.example/id/Seoul>\t"서울"@ko\n'
        '<https://kg.example/id/Oh_Se-hoon>\t"오세훈"@ko\n'
    )


def test_select_json(store: pyoxigraph.Store) -> None:
    text = query(store, "SELECT ?s ?year WHERE { ?s kgo:foundingDate ?year }", "json")
    assert text == (
        '{"head":{"vars":["s","year"]},"results":{"bindings":[{'
        '"s":{"type":"uri","value":"https://kg.example/id/Seoul_AI_Hub"},'
        '"year":{"type":"literal","value":"2017",'
        '"datatype":"http://www.w3.org/2001/XMLSchema#gYear"}}]}}\n'
    )
    assert json.loads(text)["head"]["vars"] == ["s", "year"]


def test_select_keeps_query_order(store: pyoxigraph.Store) -> None:
    result = run_query(store, "SELECT ?label WHERE { ?s rdfs:label ?label } ORDER BY DESC(?label)")
    assert result.kind == "select" and result.variables == ("label",)
    assert [str(row[0]) for row in result.rows] == [
        '"오세훈"@ko',
        '"서울"@ko',
        '"Seoul AI Hub"@en',
        '"Seoul"@en',
    ]


def test_default_graph_is_union_of_named_graphs(store: pyoxigraph.Store) -> None:
    # One label of kgr:Seoul is in each document graph; both are in the default graph.
    text = query(store, "SELECT ?l WHERE { kgr:Seoul rdfs:label ?l } ORDER BY ?l", "csv")
    assert text == "l\r\nSeoul\r\n서울\r\n"
    assert query(store, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "csv") == (
        "n\r\n2\r\n"
    )


def test_query_prefix_declarations_override_project_prefixes(store: pyoxigraph.Store) -> None:
    assert query(store, "PREFIX kgo: <http://example.com/> SELECT ?s WHERE { ?s a kgo:City }", "csv") == (
        "s\r\n"
    )
    text = query(store, "PREFIX ex: <https://kg.example/id/Seoul_> SELECT ?s WHERE { ?s a kgo:City }")
    assert text.splitlines()[2] == "kgr:Seoul"


# --------------------------------------------------------------------------- ASK


def test_ask(store: pyoxigraph.Store) -> None:
    assert query(store, "ASK { kgr:Oh_Se-hoon kgo:mayorOf kgr:Seoul }") == "true\n"
    assert query(store, "ASK { kgr:Seoul kgo:mayorOf kgr:Oh_Se-hoon }", "table") == "false\n"
    assert query(store, "ASK { ?s a kgo:City }", "json") == '{"head":{},"boolean":true}\n'
    assert query(store, "ASK { ?s a kgo:Country }", "csv") == "false\n"
    result = run_query(store, "ASK { ?s a kgo:City }")
    assert result.kind == "ask" and result.boolean is True


# --------------------------------------------------------------------------- CONSTRUCT / DESCRIBE

CONSTRUCT = "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l }"


def test_construct_turtle_sorted_with_used_prefixes(store: pyoxigraph.Store) -> None:
    assert query(store, CONSTRUCT) == (
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix kgr: <https://kg.example/id/> .\n"
        'kgr:Oh_Se-hoon rdfs:label "오세훈"@ko .\n'
        'kgr:Seoul rdfs:label "Seoul"@en , "서울"@ko .\n'
        'kgr:Seoul_AI_Hub rdfs:label "Seoul AI Hub"@en .\n'
    )


def test_construct_nt(store: pyoxigraph.Store) -> None:
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    assert query(store, CONSTRUCT, "nt") == (
        f'<https://kg.example/id/Oh_Se-hoon> {label} "오세훈"@ko .\n'
        f'<https://kg.example/id/Seoul> {label} "Seoul"@en .\n'
        f'<https://kg.example/id/Seoul> {label} "서울"@ko .\n'
        f'<https://kg.example/id/Seoul_AI_Hub> {label} "Seoul AI Hub"@en .\n'
    )


def test_construct_jsonld(store: pyoxigraph.Store) -> None:
    text = query(store, "CONSTRUCT WHERE { kgr:Seoul_AI_Hub kgo:foundingDate ?d }", "jsonld")
    assert json.loads(text) == [
        {
            "@id": "https://kg.example/id/Seoul_AI_Hub",
            "https://kg.example/ontology#foundingDate": [
                {"@type": "http://www.w3.org/2001/XMLSchema#gYear", "@value": "2017"}
            ],
        }
    ]


def test_construct_blank_nodes_are_stable(store: pyoxigraph.Store) -> None:
    sparql = "CONSTRUCT { [] rdfs:label ?l } WHERE { ?s rdfs:label ?l }"
    first = query(store, sparql)
    assert first == query(open_store_from_text(TRIG), sparql)
    assert "_:c14n0 rdfs:label" in first


def open_store_from_text(text: str) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(input=text, format=pyoxigraph.RdfFormat.TRIG)
    merge_named_graphs(store)
    return store


def test_describe(store: pyoxigraph.Store) -> None:
    assert query(store, "DESCRIBE kgr:Seoul_AI_Hub") == (
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "@prefix kgo: <https://kg.example/ontology#> .\n"
        "@prefix kgr: <https://kg.example/id/> .\n"
        "kgr:Seoul_AI_Hub a kgo:ResearchOrganization ;\n"
        '\trdfs:label "Seoul AI Hub"@en ;\n'
        '\tkgo:foundingDate "2017"^^xsd:gYear ;\n'
        "\tkgo:locatedIn kgr:Seoul .\n"
    )
    result = run_query(store, "DESCRIBE kgr:Seoul_AI_Hub")
    assert result.kind == "graph" and len(result.triples) == 4


def test_empty_construct(store: pyoxigraph.Store) -> None:
    assert query(store, "CONSTRUCT WHERE { ?s a kgo:Country }") == ""


# --------------------------------------------------------------------------- formats & errors


@pytest.mark.parametrize(
    ("sparql", "fmt", "message"),
    [
        (LABELS, "turtle", "format 'turtle' does not fit a SELECT query: use one of table, csv, tsv, json"),
        ("ASK {}", "nt", "format 'nt' does not fit an ASK query: use one of table, csv, tsv, json"),
        (
            CONSTRUCT,
            "csv",
            "format 'csv' does not fit a CONSTRUCT or DESCRIBE query: use one of turtle, nt, jsonld",
        ),
        (CONSTRUCT, "xml", "unknown format 'xml': use one of turtle, nt, jsonld"),
    ],
)
def test_format_that_does_not_fit(store: pyoxigraph.Store, sparql: str, fmt: str, message: str) -> None:
    with pytest.raises(QueryError) as info:
        query(store, sparql, fmt)
    assert str(info.value) == message


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT ?x WHERE { ?x ?y }",
        "SELEC * WHERE { ?s ?p ?o }",
        "SELECT ?x WHERE { ?x nope:p ?y }",
        "ASK { ?s ?p ?o ",
    ],
)
def test_malformed_sparql(store: pyoxigraph.Store, sparql: str) -> None:
    with pytest.raises(SyntaxError) as parser:  # what Oxigraph's parser itself says
        pyoxigraph.Store().query(sparql, prefixes={"rdfs": "http://www.w3.org/2000/01/rdf-schema#"})
    with pytest.raises(QueryError) as info:
        run_query(store, sparql)
    assert str(info.value) == "malformed SPARQL: " + " ".join(parser.value.args[0].split())
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "sparql",
    [
        "INSERT DATA { <https://kg.example/id/X> a <https://kg.example/ontology#City> }",
        "PREFIX kgr: <https://kg.example/id/>\n# wipe\nDELETE WHERE { kgr:Seoul ?p ?o }",
        "delete data { <https://kg.example/id/Seoul> a <https://kg.example/ontology#City> }",
        "CLEAR ALL",
        "DROP GRAPH <https://kg.example/doc/a>",
        "LOAD <http://example.com/data.ttl>",
        "WITH <https://kg.example/doc/a> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "BASE <http://example.com/> CREATE GRAPH <g>",
    ],
)
def test_update_is_refused(store: pyoxigraph.Store, sparql: str) -> None:
    before = len(store)
    with pytest.raises(QueryError, match="kg query is read-only"):
        run_query(store, sparql)
    assert len(store) == before


# --------------------------------------------------------------------------- loading


def test_open_store_build_folder_prefers_trig(build: Path) -> None:
    (build / "graph.ttl").write_text("<https://kg.example/id/X> a <https://kg.example/ontology#City> .\n")
    # 10 quads in named graphs, and their merge in the default graph
    assert len(open_store(build)) == 20
    (build / "graph.trig").unlink()
    assert len(open_store(build)) == 1


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("g.ttl", '<https://kg.example/id/X> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n'),
        ("g.nt", '<https://kg.example/id/X> <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n'),
        (
            "g.nq",
            '<https://kg.example/id/X> <http://www.w3.org/2000/01/rdf-schema#label> "x" '
            "<https://kg.example/doc/a> .\n",
        ),
        ("g.jsonld", '{"@id": "https://kg.example/id/X", "http://www.w3.org/2000/01/rdf-schema#label": "x"}'),
    ],
)
def test_open_store_files(tmp_path: Path, name: str, text: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8")
    assert (
        query(open_store(tmp_path / name), "SELECT ?l WHERE { kgr:X rdfs:label ?l }", "csv") == "l\r\nx\r\n"
    )


@pytest.mark.parametrize("name", ["nope.trig", "nope"])
def test_open_store_missing(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        open_store(tmp_path / name)


def test_open_store_empty_folder_or_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no graph\.trig or graph\.ttl"):
        open_store(tmp_path)
    (tmp_path / "g.xml").write_text("<rdf/>")
    with pytest.raises(InputError, match=r"unknown RDF file type '\.xml'"):
        open_store(tmp_path / "g.xml")


def test_open_store_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    file = tmp_path / "broken.trig"
    file.write_text(TRIG.replace('"Seoul"@en .', '"Seoul"@en'), encoding="utf-8")
    with pytest.raises(InputError) as info:
        open_store(file)
    message = str(info.value)
    assert message.startswith("broken.trig: ") and "line 13" in message and "\n" not in message


def test_read_query_arg(tmp_path: Path) -> None:
    rq = tmp_path / "cities.rq"
    rq.write_text("SELECT ?s WHERE { ?s a kgo:City }\n", encoding="utf-8")
    assert read_query_arg(str(rq)) == "SELECT ?s WHERE { ?s a kgo:City }\n"
    other = tmp_path / "query.sparql"
    other.write_text("ASK {}", encoding="utf-8")
    assert read_query_arg(str(other)) == "ASK {}"
    assert read_query_arg("SELECT * WHERE { ?s ?p ?o }") == "SELECT * WHERE { ?s ?p ?o }"
    assert read_query_arg("x" * 5000) == "x" * 5000  # too long for a file name: it is text
    with pytest.raises(InputError, match="no such query file"):
        read_query_arg(str(tmp_path / "missing.rq"))


def test_shorten_iri() -> None:
    assert shorten_iri("https://kg.example/id/Oh_Se-hoon") == "kgr:Oh_Se-hoon"
    assert shorten_iri("https://kg.example/ontology#mayorOf") == "kgo:mayorOf"
    assert shorten_iri("https://kg.example/doc/a/sentence/3") == "<https://kg.example/doc/a/sentence/3>"
    assert shorten_iri("http://example.com/a", {"ex": "http://example.com/"}) == "ex:a"
    assert shorten_iri("http://example.com/a") == "<http://example.com/a>"


# --------------------------------------------------------------------------- properties


def one_literal_store(value: str) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.add(
        pyoxigraph.Quad(
            pyoxigraph.NamedNode("https://kg.example/id/X"),
            pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
            pyoxigraph.Literal(value),
        )
    )
    return store


_SELECT_VALUE = "SELECT ?s ?v WHERE { ?s rdfs:label ?v }"


@given(st.text())
def test_any_literal_round_trips_through_json_and_csv(value: str) -> None:
    result = run_query(one_literal_store(value), _SELECT_VALUE)
    assert json.loads(format_result(result, "json"))["results"]["bindings"][0]["v"]["value"] == value
    rows = list(csv.reader(io.StringIO(format_result(result, "csv"), newline="")))
    assert rows == [["s", "v"], ["https://kg.example/id/X", value]]


@given(st.text())
def test_table_keeps_one_line_per_row(value: str) -> None:
    result = run_query(one_literal_store(value), _SELECT_VALUE)
    assert isinstance(result, QueryResult)
    lines = format_result(result, "table").split("\n")
    assert len(lines) == 5 and lines[-2:] == ["1 row", ""]
