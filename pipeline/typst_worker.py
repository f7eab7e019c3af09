"""A Typst worker: compiles the documents a build sends it, in a process of its own.

Run by pipeline/typesetting.py as `python -I typst_worker.py LIMIT_MIB FONTS`, it
speaks pipeline/child.py's protocol: a request names a prepared folder and
the compiler's settings; the answer is the PDF or Typst's message.

Why a process: Typst keeps what it has laid out for as long as its process
lives (the build grew by 300 MiB per large document when Typst ran inside
it). A worker that has grown past LIMIT_MIB ends itself after answering (and says so in the
answer), so
the memory goes back to the system and the next document gets a fresh one.
Imports only Typst and the standard library: it starts in a few hundredths
of a second. A PDF with a stream a validator would read one byte short is put
right here, by pipeline/pdf_streams.py (which loads pikepdf only then), not in
the build's own process, which has the rendering to do.
"""

import importlib.util
import json
import os
import sys
from pathlib import Path


def resident_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def answer(status: bytes, body: bytes, last: bool) -> None:
    """The answer's line says "last" when the worker ends after it, so the build does not send it
    another document in the moment it takes to exit (pipeline/child.py starts a new one instead)."""
    sys.stdout.buffer.write(b" ".join([status, str(len(body)).encode(), *([b"last"] if last else [])]) + b"\n" + body)
    sys.stdout.buffer.flush()


def _pdf_streams():
    """pipeline/pdf_streams.py, beside this file (the worker runs as a script, not in the package)."""
    spec = importlib.util.spec_from_file_location("pdf_streams", Path(__file__).with_name("pdf_streams.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    import typst

    limit, fonts = float(sys.argv[1]), sys.argv[2]
    unambiguous_stream_ends = _pdf_streams().unambiguous_stream_ends
    # Read the fonts once, before the first document comes (the build starts a worker ahead of it).
    compiler = typst.Compiler(font_paths=[fonts], ignore_system_fonts=True)
    for line in sys.stdin.buffer:
        request = json.loads(line)
        try:
            pdf = compiler.compile(input=request["input"], root=request["root"], pdf_standards=request["standards"],
                                   sys_inputs=request["inputs"], timestamp=request["timestamp"])
        except typst.TypstError as error:
            status, body = b"error", str(error).encode("utf-8")
        else:
            status, body = b"ok", unambiguous_stream_ends(pdf)
        last = resident_mib() > limit
        answer(status, body, last)
        if last:
            return


if __name__ == "__main__":
    main()
