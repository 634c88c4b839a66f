description = [[
Asks a Ventrilo server's UDP status service (the voice server's port
number, 3784 by default; the script runs for the TCP or the UDP port)
for its detailed status and prints it: name, phonetic name, comment,
authentication, client limit, voice codec and format, uptime, platform,
version, channel and client counts and fields, then each channel with
its clients; names the port's service Ventrilo. netkit's script, from
Luigi Auriemma's published analysis of the status protocol (ventrilo_
status): a 20-byte header and the data, each enciphered with a 256-byte
table and a per-packet key, a CRC-16 (CCITT) of the plain text, replies
split in up to 32 packets of at most 492 bytes.
]]
author = "netkit"
license = "netkit's licence (see COPYING)"
categories = {"default", "discovery", "safe", "version"}

local nmap = require "nmap"
local shortport = require "shortport"
local stdnse = require "stdnse"

portrule = shortport.version_port_or_service(3784, "ventrilo", {"tcp", "udp"})

local function hexbytes(h)
  local t = {}
  for i = 1, #h, 2 do t[#t + 1] = tonumber(h:sub(i, i + 1), 16) end
  return t
end

-- the two key tables of the status protocol's cipher (Auriemma's analysis)
local HEAD = hexbytes(
  "80e50e38ba634c9988634cd654b8657ebf8af0178aaa4d0fb72327f6eb12f8ea" ..
  "17b7cf5257cb51cf1b14fd6f8438b52411cf7a757abb7874dcbc42f0173f5eeb" ..
  "7477044e8caf23dc65dfa565dd7df43c4c95bdeb651cf4245d8218fb5086b853" ..
  "e04e36961fb7cbaaafeacb2027302aaeb90740df1275c909829c30805d8f0d09" ..
  "a164ec91d88a501f405df7082af86062a04a8bba4a6d000a933212e5070165f5" ..
  "ffe0aea781d1ba256261b285ad7e9d3f498926e5d5ac9f0ed76e47941684c8ff" ..
  "44ea0440e03311a35b1e82ff7a69e92ffbea9ac67bdbb1ff977656f352c23f0f" ..
  "b6ac77c4bf595e8074bbf2de57624c1aff956dc704a23bc41b72c76c8260d10d")
local DATA = hexbytes(
  "828b7f6890e04409193b8e5fc28238236ddb6249526e21df516c763786507d48" ..
  "1f65e7526a88aac1322ff7544caa6d7e6da98c0d3fff6c09b3a5afdf9802b4be" ..
  "6d690d4273e43450073079412f083f4273a768faee880e6ea470742216ae3c81" ..
  "14a1da7fd37c487d3f46fb6d9225173626dbdf5a87916fd6cdd4ad4a29dd7d59" ..
  "bd153453b1d85011837966219e875b242f4fd77334a2f709d5d9429df815df0e" ..
  "10cc05043581b2d57ad2a0a57bb875d2350b398f1b440ece66871b64ace1ca67" ..
  "b4ce33db89fed88ecd5892415040cb08e115eef464fe1cee25e721e66cc6a62e" ..
  "5223a720d2d728072314243d45a5c790db77ddea38598932bc003a6d614edb29")

local CMD_DETAILED = 2

-- the protocol's CRC-16: the CCITT (0x1021) table indexed by the high
-- byte, the data byte XORed in after the lookup
local CRC = {}
for i = 0, 255 do
  local c = i << 8
  for _ = 1, 8 do c = ((c & 0x8000 ~= 0) and ((c << 1) ~ 0x1021) or (c << 1)) & 0xffff end
  CRC[i] = c
end

local function crc16(s)
  local crc = 0
  for i = 1, #s do crc = CRC[crc >> 8] ~ s:byte(i) ~ ((crc << 8) & 0xffff) end
  return crc
end

-- add (sign 1) or remove (sign -1) the keystream: table[a2] + i % period,
-- a2 stepping by the key's low byte from its high byte
local function cipher(s, key, tbl, period, sign)
  local a1, a2 = key & 0xff, (key >> 8) & 0xff
  local out = {}
  for i = 1, #s do
    out[i] = string.char((s:byte(i) + sign * (tbl[a2 + 1] + (i - 1) % period)) & 0xff)
    a2 = (a2 + a1) & 0xff
  end
  return table.concat(out)
end

local function newkey()
  local k = math.random(0x0101, 0x7fff)
  if k & 0xff == 0 then k = k | 1 end
  return k
end

local function request(id)
  local data = string.rep("\0", 16) -- no password
  local dkey = newkey()
  local hkey = newkey()
  local fields = string.pack(">I2I2I2I2I2I2I2I2I2", 0, CMD_DETAILED, id, 16, 16, 1, 0, dkey,
                             crc16(data))
  return string.pack(">I2", hkey) .. cipher(fields, hkey, HEAD, 5, 1)
         .. cipher(data, dkey, DATA, 72, 1)
end

-- one reply packet: its header fields and plain data
local function decode(p)
  if #p < 20 then return nil end
  local hkey = string.unpack(">I2", p)
  local plain = hkey & 0xff == 0 and p:sub(3, 20) or cipher(p:sub(3, 20), hkey, HEAD, 5, -1)
  local h = {}
  h.zero, h.cmd, h.id, h.totlen, h.len, h.totpck, h.pck, h.dkey, h.crc =
    string.unpack(">I2I2I2I2I2I2I2I2I2", plain)
  local data = p:sub(21, 20 + h.len)
  if h.dkey & 0xff ~= 0 then data = cipher(data, h.dkey, DATA, 72, -1) end
  return h, data
end

local function status(host, port)
  local sock = nmap.new_socket("udp")
  sock:set_timeout(2000)
  if not sock:connect(host, port.number, "udp") then return nil end
  for _ = 1, 2 do
    local id = math.random(1, 0xfffe)
    sock:send(request(id))
    local parts, total = {}, nil
    while true do
      local ok, p = sock:receive()
      if not ok then break end
      local h, data = decode(p)
      if h and h.id == id and h.totpck >= 1 and h.totpck <= 32 and h.pck < h.totpck then
        parts[h.pck + 1] = data
        total = h.totpck
        local n = 0
        for i = 1, total do if parts[i] then n = n + 1 end end
        if n == total then
          sock:close()
          local text = table.concat(parts)
          if crc16(text) ~= h.crc then return nil end
          return text
        end
      end
    end
  end
  sock:close()
  return nil
end

-- "K=V,K=V" in the line's order
local function pairs_of(s)
  local t = {}
  for item in (s .. ","):gmatch("([^,]*),") do
    local k, v = item:match("^([^=]*)=(.*)$")
    if k then t[#t + 1] = {k, v} end
  end
  return t
end

local function ordered(list)
  local t = stdnse.output_table()
  for _, kv in ipairs(list) do t[kv[1]] = kv[2] end
  return t
end

local SCALARS = {{"NAME", "name", "name"}, {"PHONETIC", "phonetic", "phonetic"},
                 {"COMMENT", "comment", "comment"}, {"AUTH", "auth", "auth"},
                 {"MAXCLIENTS", "maxclients", "max. clients"},
                 {"VOICECODEC", "voicecodec", "voice codec"},
                 {"VOICEFORMAT", "voiceformat", "voice format"}, {"UPTIME", "uptime", "uptime"},
                 {"PLATFORM", "platform", "platform"}, {"VERSION", "version", "version"},
                 {"CHANNELCOUNT", "channelcount", "channel count"}}
local AUTH = {["0"] = "none", ["1"] = "pw", ["2"] = "user/pw"}

local function uptime(v)
  local s = tonumber(v)
  if not s then return v end
  return ("%dh:%dm"):format(s // 3600, s % 3600 // 60)
end

local function parse(text)
  local st = {channels = {}, clients = {}}
  for line in text:gmatch("[^\n]+") do
    local k, v = line:match("^(%u+): ?(.*)$")
    if k == "CHANNEL" then
      st.channels[#st.channels + 1] = pairs_of(v)
    elseif k == "CLIENT" then
      st.clients[#st.clients + 1] = pairs_of(v)
    elseif k == "CHANNELFIELDS" or k == "CLIENTFIELDS" then
      local f = {}
      for x in (v .. ","):gmatch("([^,]*),") do f[#f + 1] = x end
      st[k] = f
    elseif k then
      st[k] = v
    end
  end
  return st
end

local function get(list, key)
  for _, kv in ipairs(list) do if kv[1] == key then return kv[2] end end
end

-- the channel tree: the top level lobby (CID 0), then the channels in the
-- order given, each with the clients whose CID names it
local function channels(st)
  local lobby = {{"NAME", "<top level lobby>"}, {"CID", "0"}}
  local list = {lobby}
  for _, c in ipairs(st.channels) do list[#list + 1] = c end
  local tbl, lines = stdnse.output_table(), {}
  local cfields, lfields = st.CHANNELFIELDS or {}, st.CLIENTFIELDS or {}
  for _, c in ipairs(list) do
    local cid = get(c, "CID") or ""
    local members = {}
    for _, cl in ipairs(st.clients) do
      if get(cl, "CID") == cid then members[#members + 1] = cl end
    end
    local t = ordered(c)
    local desc = {}
    for _, f in ipairs(cfields) do
      if f ~= "NAME" then desc[#desc + 1] = f .. ": " .. (get(c, f) or "n/a") end
    end
    local head = ("%s (%s): "):format(get(c, "NAME") or "", table.concat(desc, ", "))
    if #members == 0 then
      lines[#lines + 1] = head .. "<empty>"
    else
      lines[#lines + 1] = head
      t.clients = {}
      for _, cl in ipairs(members) do
        t.clients[#t.clients + 1] = ordered(cl)
        local s = "  " .. (get(cl, "NAME") or "") .. " ("
        for i, f in ipairs(lfields) do
          if f ~= "CID" and f ~= "NAME" then
            s = s .. f .. ": " .. (get(cl, f) or "n/a")
            if i < #lfields then s = s .. ", " end
          end
        end
        lines[#lines + 1] = s
      end
    end
    tbl[cid] = t
  end
  return tbl, lines
end

action = function(host, port)
  local text = status(host, port)
  if not text then return nil end
  local st = parse(text)
  local out, lines = stdnse.output_table(), {""}
  for _, s in ipairs(SCALARS) do
    local v = st[s[1]] or "n/a"
    out[s[2]] = v
    local shown = v
    if s[1] == "AUTH" and st.AUTH then shown = AUTH[v] or v end
    if s[1] == "UPTIME" and st.UPTIME then shown = uptime(v) end
    lines[#lines + 1] = s[3] .. ": " .. shown
  end
  out.channelfields = st.CHANNELFIELDS or {"n/a"}
  lines[#lines + 1] = "channel fields: " .. table.concat(out.channelfields, ", ")
  local ctbl, clines = channels(st)
  out.channels = ctbl
  out.clientcount = st.CLIENTCOUNT or "n/a"
  lines[#lines + 1] = "client count: " .. out.clientcount
  out.clientfields = st.CLIENTFIELDS or {"n/a"}
  lines[#lines + 1] = "client fields: " .. table.concat(out.clientfields, ", ")
  lines[#lines + 1] = "channels:"
  for _, l in ipairs(clines) do lines[#lines + 1] = l end

  local auth = st.AUTH and (AUTH[st.AUTH] or st.AUTH) or "n/a"
  local up = st.UPTIME and uptime(st.UPTIME) or "n/a"
  port.version = port.version or {}
  port.version.name = "ventrilo"
  port.version.product = "Ventrilo"
  port.version.version = st.VERSION or "n/a"
  port.version.extrainfo = ("status port; name: %s; uptime: %s; auth: %s"):format(
    st.NAME or "n/a", up, auth)
  port.version.ostype = st.PLATFORM or "n/a"
  nmap.set_port_version(host, port, "hardmatched")
  return out, table.concat(lines, "\n")
end
