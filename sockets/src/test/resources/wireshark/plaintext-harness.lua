-- Test harness for contrib/wireshark/qsp.lua (WiresharkDissectorTest): on packet 1, feeds the protected-frame
-- plaintexts in QSP_TEST_PLAINTEXTS ("type:hex,type:hex,...", decrypted by the test with the key log) through the
-- dissector's plaintext path, the one decrypted frames take, so its REKEY and CLOSE parsers can be checked on a
-- Wireshark without the Lua Gcrypt API. Load it after qsp.lua.
local qsp_internals = package.loaded["qsp.internals"]
local harness = Proto("qsptest", "QSP plaintext harness")
function harness.dissector(tvb, pinfo, tree)
    if pinfo.number ~= 1 then return end
    local spec = os.getenv("QSP_TEST_PLAINTEXTS") or ""
    for t, hex in spec:gmatch("(%d):(%x+)") do
        local ptvb = ByteArray.new(hex):tvb("QSP plaintext")
        local item = tree:add(qsp_internals.proto, ptvb:range(0))
        qsp_internals.plaintext(tonumber(t), ptvb, item, {})
    end
end
register_postdissector(harness, true)
