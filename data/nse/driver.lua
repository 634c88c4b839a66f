-- netkit's NSE driver (ours, written from nmap's documented NSE API):
-- script loading and fields, selection expressions, rules, runlevels,
-- the coroutine scheduler over the C event loop (nk.poll), nmap's
-- output layout. Called from src/engine/script/nse.c with the nk table.
local nk = ...

local driver = {}
local SCRIPTS = nk.datadir .. "/nse/scripts"
package.path = nk.datadir .. "/nse/nselib/?.lua;" .. package.path
package.cpath = ""
package.loaded.nk = nk

local say = nk.say
local function sayf(...) say(string.format(...)) end

-- ---- script args (--script-args) -----------------------------------------

-- nmap's syntax: name=value pairs separated by commas; values may be
-- quoted ("..." or '...') or tables in braces {a,b,k=v}.
local function parse_args(s)
  local pos, len = 1, #s
  local function ws() pos = s:match("^%s*()", pos) end
  local function err() error("arguments did not parse!", 0) end
  local value
  local function word()
    ws()
    local c = s:sub(pos, pos)
    if c == '"' or c == "'" then
      local e = pos + 1
      local out = {}
      while e <= len and s:sub(e, e) ~= c do
        if s:sub(e, e) == "\\" then e = e + 1 end
        out[#out + 1] = s:sub(e, e)
        e = e + 1
      end
      if e > len then err() end
      pos = e + 1
      return table.concat(out)
    end
    local w, np = s:match("^([^,={}]*)()", pos)
    pos = np
    return (w:gsub("%s+$", ""))
  end
  local function tbl()
    local t = {}
    pos = pos + 1
    ws()
    if s:sub(pos, pos) == "}" then t[1] = "" end -- "{}" holds one empty element in nmap
    while s:sub(pos, pos) ~= "}" do
      if pos > len then err() end
      local k, v
      if s:sub(pos, pos) == "{" then
        v = tbl()
      else
        k = word()
        ws()
        if s:sub(pos, pos) == "=" then
          pos = pos + 1
          v = value()
        else
          v, k = k, nil
        end
      end
      if k then t[k] = v else t[#t + 1] = v end
      ws()
      if s:sub(pos, pos) == "," then
        pos = pos + 1; ws()
        -- "{b,}": an empty last element, as in nmap
        if s:sub(pos, pos) == "}" then t[#t + 1] = "" end
      end
    end
    pos = pos + 1
    return t
  end
  value = function()
    ws()
    if s:sub(pos, pos) == "{" then return tbl() end
    return word()
  end
  local args = {}
  ws()
  while pos <= len do
    local k = word()
    ws()
    if s:sub(pos, pos) == "=" then
      pos = pos + 1
      args[k] = value()
    else -- a word alone is a positional argument, as in nmap
      args[#args + 1] = k
    end
    ws()
    if pos <= len then
      if s:sub(pos, pos) ~= "," then err() end
      pos = pos + 1
      ws()
      -- a trailing comma ends with an empty positional argument, as in nmap
      if pos > len then args[#args + 1] = "" end
    end
    ws()
  end
  return args
end
driver.parse_args = parse_args

-- ---- loading scripts ------------------------------------------------------

local function basename(path) return (path:match("([^/]+)$")) end

local function load_script(path)
  local id = basename(path):gsub("%.nse$", "")
  local env = setmetatable({SCRIPT_PATH = path, SCRIPT_NAME = id, SCRIPT_TYPE = nil},
                           {__index = _G})
  local f, e = loadfile(path, "t", env)
  if not f then error(e, 0) end
  f()
  for _, field in ipairs({"action", "categories"}) do
    if env[field] == nil then
      error(("%s is missing required variable '%s'"):format(path, field), 0)
    end
  end
  if type(env.categories) ~= "table" then
    error(("%s: categories must be a table"):format(path), 0)
  end
  local s = {id = id, path = path, env = env, categories = {}, catset = {},
             dependencies = env.dependencies or {}}
  for _, c in ipairs(env.categories) do
    s.categories[#s.categories + 1] = c
    s.catset[c:lower()] = true
  end
  for _, r in ipairs({"prerule", "hostrule", "portrule", "postrule"}) do
    if env[r] ~= nil and type(env[r]) ~= "function" then
      error(("%s: %s must be a function"):format(path, r), 0)
    end
    s[r] = env[r]
  end
  if not (s.prerule or s.hostrule or s.portrule or s.postrule) then
    error(("%s is missing a rule function (prerule, hostrule, portrule or postrule)")
          :format(path), 0)
  end
  return s
end

local function is_file(p)
  local f = io.open(p, "r")
  if not f then return false end
  local ok, _, code = f:read(0)
  f:close()
  return ok ~= nil or code ~= 21 -- 21: EISDIR
end

local function list_dir(p)
  local t = nk.listdir(p)
  if not t then return nil end
  local out = {}
  for _, n in ipairs(t) do
    if n:match("%.nse$") then out[#out + 1] = p .. "/" .. n end
  end
  table.sort(out)
  return out
end

-- scripts/script.db's entries (nmap's format, `Entry { filename = "x.nse",
-- categories = { "a", } }`), or nil when there is none
local function read_script_db()
  local f = io.open(SCRIPTS .. "/script.db", "r")
  if not f then return nil end
  local text = f:read("a")
  f:close()
  local entries = {}
  local env = {Entry = function(e) entries[#entries + 1] = e end}
  local chunk, err = load(text, "@" .. SCRIPTS .. "/script.db", "t", env)
  if not chunk then error(err, 0) end
  chunk()
  return entries
end

-- the installed scripts, by id (loaded lazily, once); selection by
-- category, glob or "all" goes over script.db's entries with its
-- categories when there is one (as nmap's), else over every .nse file
local db
local function script_db()
  if db then return db end
  db = {list = {}, byid = {}}
  for _, p in ipairs(list_dir(SCRIPTS) or {}) do
    local s = load_script(p)
    db.byid[s.id] = s
  end
  local entries = read_script_db()
  if not entries then
    for _, s in pairs(db.byid) do db.list[#db.list + 1] = s end
    table.sort(db.list, function(a, b) return a.path < b.path end)
    return db
  end
  for _, e in ipairs(entries) do
    local s = type(e.filename) == "string" and db.byid[e.filename:gsub("%.nse$", "")]
    if s then
      s.catset = {}
      for _, c in ipairs(e.categories or {}) do s.catset[tostring(c):lower()] = true end
      db.list[#db.list + 1] = s
    end
  end
  return db
end

-- --script-updatedb: script.db rebuilt from the scripts directory, one
-- entry a script in file-name order
function driver.updatedb()
  sayf("NSE: Updating rule database.")
  local lines = {}
  for _, p in ipairs(list_dir(SCRIPTS) or {}) do
    local s = load_script(p)
    -- nmap's order: the categories as written, sorted, then lower-cased
    local cats = table.move(s.categories, 1, #s.categories, 1, {})
    table.sort(cats)
    local quoted = {}
    for _, c in ipairs(cats) do quoted[#quoted + 1] = ("%q, "):format(c:lower()) end
    lines[#lines + 1] = ("Entry { filename = %q, categories = { %s} }\n"):format(
      basename(p), table.concat(quoted))
  end
  local f, err = io.open(SCRIPTS .. "/script.db", "w")
  if not f then error("Could not open " .. SCRIPTS .. "/script.db for writing: " .. err, 0) end
  f:write(table.concat(lines))
  f:close()
  sayf("NSE: Script Database updated successfully.")
  return ""
end

-- ---- selection ------------------------------------------------------------

-- one --script entry as a boolean expression over names, categories and
-- globs; returns a predicate and its atoms, or nil if it does not parse
local function parse_expr(e)
  local toks = {}
  local i = 1
  while i <= #e do
    local c = e:sub(i, i)
    if c:match("%s") then i = i + 1
    elseif c == "(" or c == ")" then toks[#toks + 1] = c; i = i + 1
    else
      local w = e:match("^[^%s()]+", i)
      toks[#toks + 1] = w
      i = i + #w
    end
  end
  local p = 1
  local atoms = {}
  local expr
  -- categories match in any case, names and globs exactly (as nmap)
  local function glob(w)
    local pat = "^" .. w:gsub("[%^%$%(%)%%%.%[%]%+%-%?]", "%%%0"):gsub("%*", ".*") .. "$"
    return function(s) return s.id:match(pat) ~= nil end
  end
  local function atom()
    local t = toks[p]
    if t == nil or t == ")" or t == "and" or t == "or" then return nil end
    p = p + 1
    if t == "not" then
      local a = atom()
      if not a then return nil end
      return function(s) return not a(s) end
    elseif t == "(" then
      local a = expr()
      if not a or toks[p] ~= ")" then return nil end
      p = p + 1
      return a
    end
    atoms[#atoms + 1] = t
    local l = t:gsub("%.nse$", "")
    if l == "all" then return function() return true end end
    if l:find("*", 1, true) then return glob(l) end
    local cat = l:lower()
    return function(s) return s.catset[cat] or s.id == l end
  end
  local function term()
    local a = atom()
    while a and toks[p] == "and" do
      p = p + 1
      local b = atom()
      if not b then return nil end
      local x = a
      a = function(s) return x(s) and b(s) end
    end
    return a
  end
  expr = function()
    local a = term()
    while a and toks[p] == "or" do
      p = p + 1
      local b = term()
      if not b then return nil end
      local x = a
      a = function(s) return x(s) or b(s) end
    end
    return a
  end
  local f = expr()
  if not f or p <= #toks then return nil end
  return f, atoms
end

-- split --script on commas outside parentheses
local function split_entries(s)
  local out, depth, cur = {}, 0, {}
  for c in s:gmatch(".") do
    if c == "(" then depth = depth + 1 elseif c == ")" then depth = depth - 1 end
    if c == "," and depth == 0 then
      out[#out + 1] = table.concat(cur); cur = {}
    else
      cur[#cur + 1] = c
    end
  end
  out[#out + 1] = table.concat(cur)
  return out
end

-- ids named in --script (by name or file): nmap.verbosity() is one more
-- for them and nmap.version_intensity() 9, as nmap's
local NAMED = {}
package.loaded["nse.named"] = NAMED

local function select_scripts(spec)
  local chosen, seen = {}, {}
  local function add(s, forced)
    if seen[s.path] then
      if forced then seen[s.path].forced = true end
      return
    end
    s.forced = forced
    seen[s.path] = s
    chosen[#chosen + 1] = s
  end
  for _, raw in ipairs(split_entries(spec)) do
    local entry = raw:match("^%s*(.-)%s*$")
    local forced = false
    if entry:sub(1, 1) == "+" then forced = true; entry = entry:sub(2) end
    local matched = false
    local f, atoms = nil, nil
    if not entry:find("/", 1, true) then f, atoms = parse_expr(entry) end
    for _, a in ipairs(atoms or {}) do NAMED[(a:gsub("%.nse$", ""))] = true end
    if f then
      for _, s in ipairs(script_db().list) do
        if f(s) then add(s, forced); matched = true end
      end
    end
    if not matched and entry ~= "" then
      local cands = {entry, entry .. ".nse", SCRIPTS .. "/" .. entry,
                     SCRIPTS .. "/" .. entry .. ".nse"}
      for _, c in ipairs(cands) do
        local files = list_dir(c)
        if files and entry:sub(-1) ~= "/" then
          -- nmap's rule: a directory is named with its trailing '/'
          error(("directory '%s' found, but will not match without '/'"):format(c))
        elseif files then
          for _, p in ipairs(files) do add(load_script(p), forced) end
          matched = true
          break
        elseif is_file(c) then
          local id = basename(c):gsub("%.nse$", "")
          NAMED[id] = true -- a file named in --script is named, as nmap's
          add(script_db().byid[id] and script_db().byid[id].path == c and script_db().byid[id]
              or load_script(c), forced)
          matched = true
          break
        end
      end
    end
    if not matched then
      error(("'%s' did not match a category, filename, or directory"):format(entry))
    end
  end
  return chosen
end

-- ---- output layout --------------------------------------------------------

-- nmap's escaping of script output: control bytes other than tab, CR and
-- newline, and bytes >= 0x7f, as \xNN
local function escape(s)
  return (s:gsub("[%z\1-\8\11\12\14-\31\127-\255]", function(c)
    return ("\\x%02X"):format(c:byte())
  end))
end

local function sortkeys(t)
  local mt = getmetatable(t)
  if mt and mt.__pairs then
    local ks = {}
    for k in pairs(t) do ks[#ks + 1] = k end
    return ks
  end
  local ks = {}
  local n = #t
  for k in pairs(t) do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then ks[#ks + 1] = k end
  end
  return ks
end

local function is_table(v)
  return type(v) == "table" and not (getmetatable(v) and getmetatable(v).__tostring)
end

local function format_table(t, indent, lines)
  for i = 1, #t do
    local v = t[i]
    if is_table(v) then
      lines[#lines + 1] = indent
      format_table(v, indent .. "  ", lines)
    else
      lines[#lines + 1] = indent .. escape(tostring(v))
    end
  end
  for _, k in ipairs(sortkeys(t)) do
    if not (math.type(k) == "integer" and k >= 1 and k <= #t) then
      local v = t[k]
      if is_table(v) then
        lines[#lines + 1] = indent .. escape(tostring(k)) .. ": "
        format_table(v, indent .. "  ", lines)
      else
        lines[#lines + 1] = indent .. escape(tostring(k)) .. ": " .. escape(tostring(v))
      end
    end
  end
end
driver.format_table = format_table

local function xml_attr(s)
  return (s:gsub("[&<>\"\t\n\r]", {["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;",
    ['"'] = "&quot;", ["\t"] = "&#x9;", ["\n"] = "&#xa;", ["\r"] = "&#xd;"}))
end

local function xml_elems(t, out)
  local function key(k)
    return k and (' key="%s"'):format(xml_attr(escape(tostring(k)))) or ""
  end
  local function one(k, v)
    if type(v) == "table" then
      out[#out + 1] = ("<table%s>\n"):format(key(k))
      xml_elems(v, out)
      out[#out + 1] = "</table>\n"
    else
      out[#out + 1] = ("<elem%s>%s</elem>\n"):format(key(k), xml_attr(escape(tostring(v))))
    end
  end
  for i = 1, #t do one(nil, t[i]) end
  for _, k in ipairs(sortkeys(t)) do
    if not (math.type(k) == "integer" and k >= 1 and k <= #t) then one(k, t[k]) end
  end
end

-- -oJ: a value as JSON (netkit's addition): a table whose keys are
-- 1..n an array, any other an object (integer keys as strings); bytes
-- outside printable ASCII as nmap's \xNN text
local function json_str(s)
  s = escape(tostring(s))
  return '"' .. s:gsub('[%c"\\]', function(c)
    return ({['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\r"] = "\\r",
             ["\t"] = "\\t"})[c] or ("\\u%04x"):format(c:byte())
  end) .. '"'
end

local function json_val(v, depth)
  if type(v) == "table" and depth < 32 then
    local n = #v
    local keys = sortkeys(v)
    local extra = 0
    for _, k in ipairs(keys) do
      if not (math.type(k) == "integer" and k >= 1 and k <= n) then extra = extra + 1 end
    end
    local out = {}
    if extra == 0 then
      for i = 1, n do out[#out + 1] = json_val(v[i], depth + 1) end
      return "[" .. table.concat(out, ",") .. "]"
    end
    for i = 1, n do out[#out + 1] = json_str(i) .. ":" .. json_val(v[i], depth + 1) end
    for _, k in ipairs(keys) do
      if not (math.type(k) == "integer" and k >= 1 and k <= n) then
        out[#out + 1] = json_str(k) .. ":" .. json_val(v[k], depth + 1)
      end
    end
    return "{" .. table.concat(out, ",") .. "}"
  elseif math.type(v) == "integer" then
    return tostring(v)
  elseif type(v) == "number" and v == v and v ~= math.huge and v ~= -math.huge then
    return ("%.17g"):format(v)
  elseif type(v) == "boolean" then
    return tostring(v)
  end
  return json_str(v)
end

-- an action's results -> {normal=, xml=, json=} or nil (nothing to show)
local function render(id, r1, r2)
  local text, tbl
  local scalar = (type(r1) == "boolean" or type(r1) == "number") and r2 ~= nil
  if type(r1) == "table" and is_table(r1) then
    tbl = r1
    if r2 ~= nil then
      text = escape(tostring(r2))
    else
      local lines = {}
      format_table(r1, "  ", lines)
      text = #lines > 0 and "\n" .. table.concat(lines, "\n") or ""
    end
  elseif scalar then
    -- a scalar with its text (x11-access's true): nmap's XML has the
    -- scalar as the script element's content
    text = escape(tostring(r2))
  elseif r1 ~= nil then
    text = escape(tostring(r1))
  else
    return nil
  end
  local xml
  if scalar then
    xml = ('<script id="%s" output="%s">%s</script>'):format(xml_attr(id), xml_attr(text),
                                                          xml_attr(escape(tostring(r1))))
  elseif tbl then
    local out = {}
    xml_elems(tbl, out)
    xml = ('<script id="%s" output="%s">%s</script>'):format(xml_attr(id), xml_attr(text),
                                                          table.concat(out))
  else
    xml = ('<script id="%s" output="%s"/>'):format(xml_attr(id), xml_attr(text))
  end
  local normal = ""
  if text ~= "" then
    local lines = {}
    for l in (text:gsub("\n+$", "") .. "\n"):gmatch("(.-)\n") do lines[#lines + 1] = (l:gsub("\r", "\\x0D")) end
    local out = {}
    for i, l in ipairs(lines) do
      local pre = i == #lines and "|_" or "| "
      out[#out + 1] = (i == 1 and pre .. id .. ": " or pre) .. l
    end
    normal = table.concat(out, "\n") .. "\n"
  end
  local json = ('{"id":%s,"output":%s%s}'):format(json_str(id), json_str(text),
                                                  tbl and (',"elements":' .. json_val(tbl, 0)) or "")
  return {normal = normal, xml = xml, json = json}
end
driver.render = render

-- ---- scheduler ------------------------------------------------------------

local sched = {runq = {}, byco = {}, current = nil, slot = 0}
driver.sched = sched
package.loaded["nse.sched"] = sched

function sched.wake(t, ...)
  sched.runq[#sched.runq + 1] = table.pack(t.co, ...)
end

-- the running script's thread record (nmap.mutex etc. use it)
function sched.running() return sched.current end

-- a thread for fn(...) in the script record s against host/port
local function ended(...)
  nk.slice()
  return table.pack(...)
end

function sched.spawn(s, fn, host, port, parent, ...)
  sched.slot = sched.slot + 1
  local t = {script = s, host = host, port = port, parent = parent,
             slot = parent and parent.slot or sched.slot, args = table.pack(...)}
  -- --script-timeout counts from the script's start; its workers share it
  if parent then t.deadline = parent.deadline
  elseif (sched.timeout or 0) > 0 then t.deadline = nk.clock() + sched.timeout end
  t.co = coroutine.create(function(...) return fn(...) end)
  sched.byco[t.co] = t
  sched.live = (sched.live or 0) + 1
  sched.runq[#sched.runq + 1] = table.pack(t.co, ...)
  return t
end

local function target_str(t)
  if not t.host then return "" end
  local h = t.host.ip
  if t.port then return (" against %s:%d"):format(h, t.port.number) end
  return " against " .. h
end

local TIMED_OUT = "netkit: script timed out" -- nse_int.h's NSE_TIMED_OUT

local function finish(t, ok, ...)
  sched.byco[t.co] = nil
  sched.live = sched.live - 1
  if t.on_done then t.on_done(t) end
  if t.parent then return end -- a worker (stdnse.new_thread): no output
  local s = t.script
  local r
  if not ok and tostring((...)):find(TIMED_OUT, 1, true) then
    -- as nmap: a script stopped at --script-timeout shows no result
    if nk.debug > 0 then sayf("NSE: %s%s timed out", s.id, target_str(t)) end
    return
  end
  if not ok then
    if nk.debug > 0 then
      local e = ...
      if type(e) == "table" and e.errtype then e = e.msg end
      sayf("NSE: %s%s threw an error!\n%s\n", s.id, target_str(t),
           debug.traceback(t.co, tostring(e)))
      return
    end
    -- as nmap: the failure is shown in the results without -d
    r = render(s.id, "ERROR: Script execution failed (use -d to debug)")
  else
    if nk.debug > 0 then sayf("NSE: Finished %s%s.", s.id, target_str(t)) end
    -- the result's own __tostring or __pairs may fail: that script's
    -- result is an error, the scan and the other scripts go on
    local ok2, rr = pcall(render, s.id, ...)
    if ok2 then
      r = rr
    else
      if nk.debug > 0 then sayf("NSE: %s%s threw an error!\n%s\n", s.id, target_str(t), rr) end
      r = render(s.id, "ERROR: Script execution failed (use -d to debug)")
    end
  end
  if r then
    r.id = s.id
    r.h = t.hindex
    r.proto = t.port and t.port.protocol or nil
    r.port = t.port and t.port.number or nil
    sched.results[#sched.results + 1] = r
  end
end

local function run_all()
  while sched.live > 0 do
    while #sched.runq > 0 do
      local item = table.remove(sched.runq, 1)
      local t = sched.byco[item[1]]
      if t then
        sched.current = t
        nk.slice(t.slot, t.deadline)
        -- the slice ends before anything is allocated for the driver: a
        -- script stopped at its memory cap would fail the packing
        local res = ended(coroutine.resume(t.co, table.unpack(item, 2, item.n)))
        sched.current = nil
        if coroutine.status(t.co) == "dead" then
          finish(t, table.unpack(res, 1, res.n))
        end
      end
    end
    if sched.live == 0 then break end
    local now, first = nk.clock(), nil
    for co, t in pairs(sched.byco) do
      if t.deadline and t.deadline <= now then
        nk.cancel(co)
        finish(t, false, TIMED_OUT)
      elseif t.deadline and (not first or t.deadline < first) then
        first = t.deadline
      end
    end
    if sched.live == 0 then break end
    local ready, any, stop = nk.poll(first and math.max(first - now, 0.001))
    if stop then
      -- interrupted (SIGINT/SIGTERM): every script ends now, without a
      -- result, instead of when its peer lets go
      for co, t in pairs(sched.byco) do
        nk.cancel(co)
        finish(t, false, "interrupted")
      end
      break
    end
    for _, r in ipairs(ready) do
      sched.runq[#sched.runq + 1] = table.pack(table.unpack(r))
    end
    if not any and #sched.runq == 0 and not first then
      -- what is left waits on a mutex or condvar nobody will release
      for co, t in pairs(sched.byco) do
        finish(t, false, "deadlock: waiting forever")
      end
      break
    end
  end
end

-- ---- runlevels and phases -------------------------------------------------

local chosen = {}
local args_given = ""

local function runlevels(list)
  local byid, level = {}, {}
  for _, s in ipairs(list) do byid[s.id] = s end
  local function lv(s, depth)
    if level[s] then return level[s] end
    if depth > #list then return 1 end
    local l = 1
    for _, d in ipairs(s.dependencies) do
      if byid[d] then l = math.max(l, lv(byid[d], depth + 1) + 1) end
    end
    level[s] = l
    return l
  end
  local max = 1
  for _, s in ipairs(list) do max = math.max(max, lv(s, 0)) end
  return level, max
end

local function call_rule(s, rule, ...)
  nk.slice(0)
  sched.rule = s -- the script whose rule runs (nmap.version_intensity sees it)
  local ok, r = pcall(s[rule], ...)
  sched.rule = nil
  nk.slice()
  if not ok then
    if nk.debug > 0 then sayf("NSE: %s %s threw an error!\n%s\n", s.id, rule, tostring(r)) end
    return false
  end
  return r
end

local RULE_STATES = {open = true, ["open|filtered"] = true, unfiltered = true}

function driver.run(phase, hosts)
  sched.results = {}
  sched.live = 0
  if #chosen == 0 then return sched.results end
  local nmap = require "nmap"
  if phase == "pre" then
    if nk.verbose > 0 then say("NSE: Script Pre-scanning.") end
  elseif phase == "post" then
    if nk.verbose > 0 then say("NSE: Script Post-scanning.") end
  elseif nk.verbose > 0 then
    if #hosts == 1 then sayf("NSE: Script scanning %s.", hosts[1].host.ip)
    else sayf("NSE: Script scanning %d hosts.", #hosts) end
  end
  nmap._version_updates = {}
  nmap._state_updates = {}
  for hi, h in ipairs(hosts) do
    h.host.registry = {}
    h.host.os = h.host.os or nil
    nmap._set_host_ports(h.host, h.ports, hi)
  end
  local level, max = runlevels(chosen)
  for lvl = 1, max do
    if nk.debug > 0 then sayf("NSE: Starting runlevel %d (of %d) scan.", lvl, max) end
    local t0 = nk.clock()
    nk.task(true)
    for _, s in ipairs(chosen) do
      if level[s] == lvl then
        local function start(rule, hi, host, port)
          local t = sched.spawn(s, s.env.action, host, port, nil, host, port)
          t.hindex = hi
          if nk.debug > 0 then sayf("NSE: Starting %s%s.", s.id, target_str(t)) end
        end
        if phase == "pre" and s.prerule and (s.forced or call_rule(s, "prerule")) then
          start("prerule")
        elseif phase == "post" and s.postrule and (s.forced or call_rule(s, "postrule")) then
          start("postrule")
        elseif phase == "host" then
          for hi, h in ipairs(hosts) do
            if s.hostrule and (s.forced or call_rule(s, "hostrule", h.host)) then
              start("hostrule", hi, h.host)
            end
            if s.portrule then
              for _, p in ipairs(h.ports) do
                if RULE_STATES[p.state] and (s.forced or call_rule(s, "portrule", h.host, p)) then
                  start("portrule", hi, h.host, p)
                end
              end
            end
          end
        end
      end
    end
    run_all()
    nk.task(false, nk.clock() - t0)
  end
  -- what scripts gave nmap.set_port_version, for the C side's port records
  sched.results.versions = nmap._version_updates
  sched.results.states = nmap._state_updates
  return sched.results
end

-- ---- init and --script-help -----------------------------------------------

-- --script-args-file: the same syntax, commas or newlines between the
-- arguments; those on the command line supersede the file's (later ones
-- win in parse_args). A relative name is also looked for in the data
-- directory, as nmap looks in its search path.
local conf_datadir = "."
local function args_from_file(name, given)
  local f = io.open(name, "r")
  if not f and name:sub(1, 1) ~= "/" then f = io.open(conf_datadir .. "/" .. name, "r") end
  if not f then error("no path to file/directory: " .. name .. " is not a file") end
  local text = f:read("a"):gsub("[\r\n]+", ",")
  f:close()
  return text .. "," .. given
end

function driver.init(conf)
  conf_datadir = conf.datadir
  if conf.args_file then conf.args = args_from_file(conf.args_file, conf.args) end
  args_given = conf.args
  sched.timeout = conf.timeout
  local ok, a = pcall(parse_args, conf.args)
  if not ok then
    sayf("NSE: args = %s", conf.args)
    error(a)
  end
  package.loaded["nse.args"] = a
  -- netkit's limits (beyond nmap): instructions between yields, bytes a script holds
  nk.limits(tonumber(a["netkit.max-instructions"]), tonumber(a["netkit.max-memory"]))
  if conf.updatedb then return 0 end
  -- nmap's scripts see the nmap and lpeg modules as globals too
  rawset(_G, "nmap", require "nmap")
  rawset(_G, "lpeg", require "lpeg")
  chosen = select_scripts(conf.select)
  if not conf.help then
    if nk.debug > 0 then
      sayf("NSE: Using Lua %s.", nk.lua_version)
      sayf("NSE: Arguments from CLI: %s", conf.args)
      if (conf.timeout or 0) > 0 then
        sayf("NSE: Set script-timeout as: %s seconds", ("%.14g"):format(conf.timeout))
      end
    end
    if nk.verbose > 0 or nk.debug > 0 then
      sayf("NSE: Loaded %d scripts for scanning.", #chosen)
    end
  end
  return #chosen
end

function driver.help()
  local out = {}
  -- nmap lists the selected scripts by name, whatever order they were named in
  local list = table.move(chosen, 1, #chosen, 1, {})
  table.sort(list, function(a, b) return a.id < b.id end)
  for _, s in ipairs(list) do
    out[#out + 1] = "\n" .. s.id .. "\n"
    out[#out + 1] = "Categories: " .. table.concat(s.categories, " ") .. "\n"
    out[#out + 1] = ("netkit's script documentation: %s\n"):format(s.path)
    local d = s.env.description
    if type(d) == "string" then
      d = d:gsub("^\n+", ""):gsub("%s+$", "")
      for l in (d .. "\n"):gmatch("(.-)\n") do
        out[#out + 1] = (l == "" and "" or "  " .. l) .. "\n"
      end
    end
  end
  return table.concat(out)
end

return driver
