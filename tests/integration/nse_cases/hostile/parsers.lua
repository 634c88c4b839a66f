-- SPDX-License-Identifier: Apache-2.0
-- netkit's own parsers on hostile bytes (no nmap counterpart to compare
-- with: nmap parses certificates with OpenSSL): each case ends at once,
-- in an error or nil and why (test_nmap_nse_libs.py's
-- test_hostile_input_bounded). A length of 8 bytes that wraps negative
-- (the fuzzer's input: a child ending before it starts looped in place
-- until memory ran out, ~30-55 s):
sslcert.parse_der("\48\10\48\136\255\255\255\255\255\255\255\246")
-- a length past the end, a child past its parent, indefinite (BER) length
sslcert.parse_der("\48\130\255\255\48\0")
sslcert.parse_der("\48\4\48\5\2\1")
asn1der.tlv("\48\128\0\0", 1)
asn1der.tlv("\4\3ab", 1)
asn1der.tlv("\4", 1)
asn1der.children("\48\3\4\5abcdef", 3, 5)
asn1der.children("\48\6\4\1a\4\1b", 3, 8)
-- a real certificate still parses (the fuzz seed's, after its 2 bytes)
sslcert.parse_der(io.open(CASEDIR .. "/../../../fuzz/corpus/nse_input/x509", "rb"):read("a"):sub(3)).subject
#sslcert.parse_der(io.open(CASEDIR .. "/../../../fuzz/corpus/nse_input/x509", "rb"):read("a"):sub(3)).extensions
-- 700 NS records pointing at one 3000-label name (quadratic, ~27 s in the fuzzer)
dns.decode("\18\52\129\128\0\1\2\188\0\0\0\0" .. ("\1a"):rep(3000) .. "\0\0\1\0\1" .. ("\192\12\0\2\0\1\0\0\0\0\0\2\192\12"):rep(700))
-- a chunk size of 16 hex digits wrapped negative and walked back onto its
-- own line (a loop until memory ran out); a long size of leading zeros
-- and a chunk cut short are still read
http.parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffee\r\n", "GET").body
http.parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0000000000000000003\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", "GET").body
http.parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab", "GET").body
-- TLS handshake messages across records and several in one (taken by
-- position: 20 records of 16383 empty messages took 2.6 s, now 0.2 s)
(function() local recs = {string.pack(">BI2s2", 22, 0x0303, "\2\0\0\5ab"), string.pack(">BI2s2", 22, 0x0303, "cde\11"), string.pack(">BI2s2", 22, 0x0303, "\0\0\1x\14\0\0\0")}; local i = 0; local m = tls.read_handshake({receive = function() i = i + 1; if recs[i] then return true, recs[i] end return false, "EOF" end}); local t = {}; for _, x in ipairs(m) do t[#t + 1] = x.type .. ":" .. x.body end; return table.concat(t, " ") end)()
