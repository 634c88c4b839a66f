-- netkit's `vulns` library (ours, written from nmap's NSEDoc for vulns;
-- its output checked side by side with nmap 7.93's by
-- tests/integration/test_nmap_nse_libs.py's nk-vulns runs): vulnerability
-- tables that scripts fill, reported in nmap's "VULNERABLE:" layout
-- (text) and as a table keyed by the vulnerability's ID (XML, -oJ).
local stdnse = require "stdnse"

local vulns = {}

vulns.STATE = {LIKELY_VULN = 1, NOT_VULN = 2, VULN = 4, DoS = 8, EXPLOIT = 16, UNKNOWN = 32}

vulns.STATE_MSG = {
  [1] = "LIKELY VULNERABLE", [2] = "NOT VULNERABLE", [4] = "VULNERABLE",
  [8] = "VULNERABLE (DoS)", [12] = "VULNERABLE (DoS)", [16] = "VULNERABLE (Exploitable)",
  [20] = "VULNERABLE (Exploitable)", [32] = "UNKNOWN (unable to test)",
}

-- where an ID of each kind is described
local ID_URL = {
  CVE = "https://cve.mitre.org/cgi-bin/cvename.cgi?name=%s",
  BID = "https://www.securityfocus.com/bid/%s",
  OSVDB = "http://osvdb.org/%s",
}

local anonymous = 0

local function as_list(v)
  if v == nil then return nil end
  if type(v) == "table" then return v end
  return {v}
end

local function shown(state)
  if state == vulns.STATE.NOT_VULN then
    return stdnse.get_script_args("vulns.showall") ~= nil
  end
  return true
end

local function ids_and_refs(v)
  local ids, refs, key = {}, {}, nil
  for _, r in ipairs(v.references or {}) do refs[#refs + 1] = r end
  for kind, id in pairs(v.IDS or {}) do
    ids[#ids + 1] = kind .. ":" .. id
    if ID_URL[kind] then refs[#refs + 1] = ID_URL[kind]:format(id) end
    if kind == "CVE" or not key then key = id end
  end
  return ids, refs, key
end

local function disclosure(v)
  local d = v.dates and v.dates.disclosure
  if type(d) ~= "table" then return nil end
  return ("%s-%s-%s"):format(d.year, d.month, d.day)
end

-- the structured form (nmap's keys) and the text lines of one vulnerability
local function format(v)
  local state = vulns.STATE_MSG[v.state] or tostring(v.state)
  local ids, refs, key = ids_and_refs(v)
  if not key then
    anonymous = anonymous + 1
    key = "NMAP-" .. anonymous
  end
  local t = stdnse.output_table()
  t.title = v.title
  t.state = state
  if #ids > 0 then t.ids = ids end
  t.scores = v.scores
  t.description = as_list(v.description)
  t.dates = v.dates
  t.disclosure = disclosure(v)
  t.check_results = as_list(v.check_results)
  t.exploit_results = as_list(v.exploit_results)
  t.extra_info = as_list(v.extra_info)
  if #refs > 0 then t.refs = refs end
  local lines = {"  " .. tostring(v.title), "    State: " .. state}
  if #ids > 0 then lines[#lines + 1] = "    IDs:  " .. table.concat(ids, "  ") end
  local risk = {}
  if v.risk_factor then risk[1] = "Risk factor: " .. v.risk_factor end
  for k, s in pairs(v.scores or {}) do risk[#risk + 1] = k .. ": " .. s end
  if #risk > 0 then lines[#lines + 1] = "    " .. table.concat(risk, "  ") end
  for _, d in ipairs(t.description or {}) do
    for l in (d .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = "      " .. l end
  end
  if t.disclosure then lines[#lines + 1] = "    Disclosure date: " .. t.disclosure end
  for _, part in ipairs({{"check_results", "Check results:"}, {"exploit_results", "Exploit results:"},
                         {"extra_info", "Extra information:"}, {"refs", "References:"}}) do
    if t[part[1]] then
      lines[#lines + 1] = "    " .. part[2]
      for _, l in ipairs(t[part[1]]) do lines[#lines + 1] = "      " .. tostring(l) end
    end
  end
  return key, t, lines
end

--- The text of one vulnerability table, as make_output prints it.
function vulns.format_vuln(v)
  local _, _, lines = format(v)
  return table.concat(lines, "\n")
end

local Report = {}
vulns.Report = Report

--- A report for script_name's findings on host (and port).
function Report:new(script_name, host, port)
  local o = {script_name = script_name, host = host, port = port, entries = {}}
  setmetatable(o, self)
  self.__index = self
  return o
end

--- Adds vulnerability tables to the report.
function Report:add_vulns(...)
  for i = 1, select("#", ...) do
    local v = select(i, ...)
    if type(v) == "table" then self.entries[#self.entries + 1] = v end
  end
  return true
end
Report.add = Report.add_vulns

--- The report's output (a table and its text), the given vulnerability
-- added first (as nmap's, only the first argument); nil when nothing is
-- vulnerable (not-vulnerable entries too with the vulns.showall argument).
function Report:make_output(v)
  if type(v) == "table" then self:add_vulns(v) end
  local out, text, head = stdnse.output_table(), {}, nil
  for _, e in ipairs(self.entries) do
    if shown(e.state) then
      local key, t, lines = format(e)
      local h = e.state == vulns.STATE.NOT_VULN and "  NOT VULNERABLE:" or "  VULNERABLE:"
      -- nmap's blank (indented) line between two findings
      if #text > 0 then text[#text + 1] = "  " end
      if h ~= head then
        text[#text + 1] = h
        head = h
      end
      out[key] = t
      for _, l in ipairs(lines) do text[#text + 1] = l end
    end
  end
  if #text == 0 then return nil end
  return out, "\n" .. table.concat(text, "\n") .. "\n"
end

return vulns
