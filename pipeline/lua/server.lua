-- One pandoc for a whole build: pipeline/pandoc.py starts `pandoc lua server.lua` once and sends it
-- every conversion the build needs, instead of starting pandoc for each (0.15-0.25 s a start).
--
-- Each request is a line of JSON, {"job": ..., "size": N, ...}, followed by N bytes of input. Each
-- answer is a line "ok N" or "error N" ("ok N last" when this process ends after it), followed by
-- N bytes: the output, or pandoc's message.
-- Jobs:
--   markdown-docx  a JSON list of Markdown texts (read by fields.lua) -> .docx in the styles of "reference"
--   docx           a built .docx, read once, after the filter "filter" -> when "typst" ({template}) is
--                  asked, Typst markup in that template; when "html" ({template, metadata, toc}), a
--                  standalone web page in that template, the metadata set, contents when "toc". Each
--                  output follows a line with its length in bytes, Typst first.
--
-- What `pandoc --sandbox` did for us, this script does itself: it reads only the files named in a
-- request (templates, filters, reference documents: the project's own), and a picture in a Markdown
-- field is written as its description, never fetched from a path or the network.

local fields = setmetatable({}, {__index = _G})
loadfile(arg[1], "t", fields)()

local compiled = {}

local function template(path)
  if not compiled[path] then
    local file = assert(io.open(path, "rb"))
    compiled[path] = pandoc.template.compile(file:read("a"), path)
    file:close()
  end
  return compiled[path]
end

-- The filter as `pandoc --lua-filter` runs it for the output format `format`.
local function filtered(doc, filter, format)
  return pandoc.utils.run_lua_filter(doc, filter, setmetatable({FORMAT = format}, {__index = _G}))
end

local function pictures_as_text(doc)
  return doc:walk {Image = function(image) return pandoc.Span(image.caption) end}
end

-- --embed-resources: the web page is published alone, so its pictures travel inside it.
local function pictures_embedded(doc)
  return doc:walk {Image = function(image)
    local mime, contents = pandoc.mediabag.fetch(image.src)
    if contents then image.src = pandoc.mediabag.make_data_uri(mime, contents) end
    return image
  end}
end

local jobs = {}

function jobs.markdown_docx(request, input)
  local doc = pictures_as_text(fields.Reader(input))
  return pandoc.write(doc, "docx", {reference_doc = request.reference})
end

local function typst(doc, asked)
  -- wrap_text none: pandoc wraps a list item inside a table cell so that Typst ends the item early.
  return pandoc.write(doc, "typst", {template = template(asked.template), wrap_text = "none"})
end

-- The stylesheet's comments are for who edits it, not for the page (as --embed-resources left them out).
local function without_style_comments(page)
  local open, close = page:find("<style>", 1, true), page:find("</style>", 1, true)
  if not (open and close) then return page end
  return page:sub(1, open - 1) .. page:sub(open, close - 1):gsub("/%*.-%*/", "") .. page:sub(close)
end

local function html(doc, asked)
  doc = pictures_embedded(doc)
  for key, value in pairs(asked.metadata) do doc.meta[key] = value end
  return without_style_comments(pandoc.write(doc, "html5", {template = template(asked.template),
                                                            table_of_contents = asked.toc, toc_depth = 2}))
end

-- Reading the .docx is most of the work (1.8 of 2.2 s for the Typst of a 2,000-meeting compilation):
-- the PDF's Typst and the web page are written from one reading, each through the filter on its own.
function jobs.docx(request, input)
  pandoc.mediabag.empty()
  local doc = pandoc.read(input, "docx+styles")
  local outputs = {}
  if request.typst then outputs[#outputs + 1] = typst(filtered(doc, request.filter, "typst"), request.typst) end
  if request.html then outputs[#outputs + 1] = html(filtered(doc, request.filter, "html5"), request.html) end
  for i, output in ipairs(outputs) do outputs[i] = #output .. "\n" .. output end
  return table.concat(outputs)
end

-- pandoc's heap stays as large as the largest document made it; past arg[2] MiB this process ends
-- after its answer, saying so ("last"), and the build starts a fresh one for what comes next.
local limit = tonumber(arg[2]) or math.huge

local function resident_mib()
  local statm = io.open("/proc/self/statm", "r")
  if not statm then return 0 end
  local pages = tonumber(statm:read("l"):match("^%d+%s+(%d+)")) or 0
  statm:close()
  return pages * 4096 / 1048576
end

local function answer(status, body, last)
  io.stdout:write(status, " ", #body, last and " last" or "", "\n", body)
  io.stdout:flush()
end

io.stdout:setvbuf("full")
for line in io.stdin:lines() do
  local request = pandoc.json.decode(line, false)
  local input = request.size > 0 and io.stdin:read(request.size) or ""
  local job = jobs[(request.job:gsub("%-", "_"))]
  local done, output = pcall(job, request, input)
  local last = resident_mib() > limit
  if done then answer("ok", output, last) else answer("error", tostring(output), last) end
  if last then break end
end

-- The end of the input: the build is done, or it died (even by SIGKILL, which leaves it no time to
-- clean up). Either way the scratch folder the build gave this process (pipeline/scratch.py) goes.
local scratch = os.getenv("TMPDIR") or ""
if pandoc.path.filename(scratch):match("^beredning%-pandoc%-") then
  pcall(pandoc.system.remove_directory, scratch, true)
end
