"""Convert Word files to PDF/A-2b and PDF/UA-1 in one LibreOffice process, with the table of contents refreshed.

Run by the system Python (`/usr/bin/python3`), which has Debian's python3-uno;
it imports nothing from the pipeline, so the project's virtual environment and
LibreOffice's Python never mix (see pipeline/libreoffice.py, which starts it).

    python3 soffice_worker.py LIFELINE_FD SOFFICE PROFILE_URL OUT_DIR PIPE SOCKET...

It converts each Word file as the build sends it, in pipeline/child.py's
protocol: a request is a line of JSON naming the file ({"input": path,
"size": 0}); the answer is "ok N" and the PDF's N bytes, or "error N" and a
message. At the end of its input it ends LibreOffice and itself.

LIFELINE_FD is the reading end of a pipe whose writing end only the build
holds: when it reads the end of the pipe, the build is gone (killed, even by
SIGKILL), and the worker ends LibreOffice and itself, and has the scratch
folder removed. PIPE names the pipe LibreOffice accepts the worker on; the
SOCKETs are the files LibreOffice makes for its pipes, which the worker removes
when its build is gone (else the build does: pipeline/libreoffice.py's sockets_of).
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time

import uno  # noqa: F401  (registers the UNO import hooks)
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

CONNECT_SECONDS = 60


def prop(name, value):
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def pdf_filter():
    """PDF/A-2b and PDF/UA-1 (tagged, with the PDF/UA claim), bookmarks from headings."""
    data = (prop("SelectPdfVersion", 2), prop("PDFUACompliance", True), prop("UseTaggedPDF", True),
            prop("ExportBookmarks", True), prop("UseLosslessCompression", True))
    return (prop("FilterName", "writer_pdf_Export"), prop("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", data)))


def connect(pipe):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def convert(desktop, source, out_dir):
    url = uno.systemPathToFileUrl(os.path.abspath(source))
    document = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True), prop("ReadOnly", False)))
    if document is None:
        raise RuntimeError(f"LibreOffice kunde inte öppna {source}")
    try:
        indexes = document.getDocumentIndexes()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        document.refresh()
        # A second pass: the first can move text and so the pages the contents point at.
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        target = os.path.join(out_dir, os.path.splitext(os.path.basename(source))[0] + ".pdf")
        document.storeToURL(uno.systemPathToFileUrl(os.path.abspath(target)), pdf_filter())
        return target
    finally:
        document.close(True)


def watch_the_build(lifeline, scratch, sockets):
    """When the build that started this worker is gone, end this process group (LibreOffice and this
    worker) and remove the scratch folder, once nothing in the group can write to it any more."""
    def watch():
        while os.read(lifeline, 64):
            pass
        subprocess.Popen(["/bin/sh", "-c", 'sleep 2; rm -rf -- "$1"', "sh", scratch], start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        remove(sockets)
        os.killpg(os.getpgrp(), signal.SIGKILL)

    threading.Thread(target=watch, daemon=True).start()


def remove(sockets):
    """LibreOffice's sockets, which it cannot remove itself when killed."""
    for socket in sockets:
        try:
            os.remove(socket)
        except FileNotFoundError:
            pass


def answer(status, body):
    sys.stdout.buffer.write(status + b" " + str(len(body)).encode() + b"\n" + body)
    sys.stdout.buffer.flush()


def serve(desktop, out_dir):
    """Convert each file the build names, until the end of the input; keep no file it made."""
    for line in sys.stdin.buffer:
        source = json.loads(line)["input"]
        try:
            target = convert(desktop, source, out_dir)
            with open(target, "rb") as pdf:
                made = pdf.read()
            os.remove(target)
        except Exception as error:  # LibreOffice's own errors come as UNO exceptions
            answer(b"error", str(error).encode("utf-8", "replace"))
        else:
            answer(b"ok", made)


def main(argv):
    lifeline, soffice, profile, out_dir, pipe, *sockets = argv
    watch_the_build(int(lifeline), os.path.dirname(os.path.abspath(out_dir)), sockets)
    process = subprocess.Popen(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--invisible",
         "--nologo", "--nodefault", "--norestore", "--nolockcheck", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        context = connect(pipe)
        desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        serve(desktop, out_dir)
        try:
            desktop.terminate()
        except Exception:  # the bridge closes while LibreOffice quits
            pass
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            # soffice is in this worker's process group; the caller ends the group (and removes its sockets).
            process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
