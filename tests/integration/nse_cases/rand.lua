-- rand, as nmap's NSEDoc documents it (values are random: only shapes)
#rand.random_string(10)
#rand.random_string(0)
rand.random_string(5, "a")
rand.random_string(4, {"xy"})
(rand.random_string(200, "ab"):match("^[ab]+$")) ~= nil
#rand.random_alpha(12)
(rand.random_alpha(200):match("^[%a]+$")) ~= nil
rand.charset("a", "e")
rand.charset("0", "3", {"x"})
rand.charset(65, 67)
rand.random_string(3, rand.charset("z", "z"))
#rand.random_string(256)
(rand.random_string(4000):find("[\128-\255]")) ~= nil
(rand.random_string(4000):find("[\0-\31]")) ~= nil
(rand.random_string(4000):find("\0")) ~= nil
(rand.random_string(4000):find("\255")) ~= nil
rand.random_string(3, {"a"})
rand.random_string(2, {"ab", "ab"})
#rand.random_alpha(0)
