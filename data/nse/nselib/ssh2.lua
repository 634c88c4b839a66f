-- netkit's SSH transport pieces (ours, from RFC 4253): the binary packet,
-- name-lists, and the server's KEXINIT.
local nmap = require "nmap"
local ssh2 = {}

function ssh2.packet(payload)
  local pad = 8 - ((5 + #payload) % 8)
  if pad < 4 then pad = pad + 8 end
  return string.pack(">I4B", 1 + #payload + pad, pad) .. payload .. string.rep("\0", pad)
end

-- read packets (unencrypted) until one of type want; its payload
function ssh2.read_packet(sock, st, want)
  while true do
    while #st.buf < 5 do
      local ok, d = sock:receive()
      if not ok then return nil end
      st.buf = st.buf .. d
    end
    local len = string.unpack(">I4", st.buf)
    if len > 262144 then return nil end
    while #st.buf < 4 + len do
      local ok, d = sock:receive()
      if not ok then return nil end
      st.buf = st.buf .. d
    end
    local padlen = st.buf:byte(5)
    local payload = st.buf:sub(6, 4 + len - padlen)
    st.buf = st.buf:sub(5 + len)
    if payload:byte(1) == want then return payload end
  end
end

ssh2.LISTS = {"kex_algorithms", "server_host_key_algorithms",
              "encryption_algorithms_client_to_server", "encryption_algorithms_server_to_client",
              "mac_algorithms_client_to_server", "mac_algorithms_server_to_client",
              "compression_algorithms_client_to_server",
              "compression_algorithms_server_to_client"}

-- connect, exchange identification strings, read the server's KEXINIT:
-- socket, state, {list name = "a,b,c"}; or nil
function ssh2.start(host, port, ident)
  local sock = nmap.new_socket()
  sock:set_timeout(5000)
  if not sock:connect(host, port) then return nil end
  local ok, line = sock:receive_buf("\r?\n", false)
  while ok and not line:match("^SSH%-") do ok, line = sock:receive_buf("\r?\n", false) end
  if not ok then sock:close(); return nil end
  sock:send((ident or "SSH-2.0-Nmap-SSH2-Hostkey") .. "\r\n")
  local st = {buf = sock.buf or ""}
  sock.buf = ""
  local kex = ssh2.read_packet(sock, st, 20)
  if not kex then sock:close(); return nil end
  local lists, pos = {}, 18
  for _, name in ipairs(ssh2.LISTS) do lists[name], pos = string.unpack(">s4", kex, pos) end
  return sock, st, lists
end

return ssh2
