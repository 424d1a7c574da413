import type { Catalogue } from './en.ts';

/** हिंदी error sentences: the same keys and {placeholders} as src-main/core/errors.ts (checked by a test). */
export const hiErrors: Catalogue['errors'] = {
  unauthorized: 'स्टेशन टोकन नहीं है या गलत है: `baglink serve` का छापा हुआ टोकन इस्तेमाल करें।',
  forbidden_origin: 'इस पेज से अनुरोध की अनुमति नहीं है: स्टेशन को उसके अपने पते से खोलें।',
  unknown_method: '{method} नाम का कोई तरीका नहीं है।',
  invalid_input: 'अनुरोध सही नहीं है: {detail}।',
  payload_too_large: 'अनुरोध बहुत बड़ा है: ज़्यादा से ज़्यादा {limit} बाइट भेजें।',
  bad_request: 'अनुरोध पढ़ा नहीं जा सका: JSON भेजें।',
  internal: 'स्टेशन के अंदर कुछ गड़बड़ हुई: {detail}। कुछ नहीं बदला; फिर से कोशिश करें।',
  unsafe_text: '{field} में अक्षर {position} पर एक कंट्रोल या अदृश्य अक्षर ({char}) है: उसके बिना फिर से लिखें।',
  not_logged_in: 'पहले लॉग इन करें।',
  bad_credentials: 'यूज़रनेम या पासवर्ड गलत है।',
  bad_badge: 'बैज या पिन गलत है।',
  account_locked: 'बहुत सारी गलत कोशिशों के बाद यह खाता बंद है: {until} के बाद कोशिश करें, या एडमिन से पूछें।',
  account_disabled: 'यह खाता बंद है: एडमिन से पूछें।',
  wrong_area: 'आपका खाता डिस्पैच क्षेत्र {userArea} का है; यह स्टेशन क्षेत्र {stationArea} में है।',
  role_required: 'यह केवल {role} भूमिका वाला उपयोगकर्ता कर सकता है।',
  session_expired: '{minutes} मिनट कुछ न करने पर आप लॉग आउट हो गए: फिर से लॉग इन करें।',
  station_has_users: 'इस स्टेशन पर पहले से उपयोगकर्ता हैं: और जोड़ने के लिए एडमिन के रूप में लॉग इन करें।',
  setup_joined: 'यह स्टेशन एक केंद्र से जुड़ा है: इसके एडमिन केंद्र से आते हैं; खाते के लिए IT से पूछें।',
  username_taken: 'यूज़रनेम {username} पहले से लिया हुआ है।',
  badge_taken: 'यह बैज पहले से किसी और उपयोगकर्ता का है।',
  user_not_found: '{username} नाम का कोई उपयोगकर्ता नहीं है।',
  weak_password: 'पासवर्ड कम से कम {min} अक्षर का होना चाहिए।',
  last_admin: 'यह आखिरी चालू एडमिन है: पहले एक और एडमिन बनाएँ।',
  centre_owned:
    'इसे IT केंद्र पर बदलता है: केंद्र से जुड़ा स्टेशन अपना क्षेत्र या क्षमता, एडमिन खाते या दूसरे क्षेत्रों के उपयोगकर्ता नहीं बदलता।',
  invalid_code: 'कोड {code} बैग कोड नहीं है: {detail}।',
  code_too_short: 'कोड बहुत छोटा है: बैग कोड में कम से कम {min} अक्षर होते हैं।',
  code_too_long: 'कोड बहुत लंबा है: बैग कोड में ज़्यादा से ज़्यादा {max} अक्षर होते हैं।',
  empty_code: 'कुछ नहीं पढ़ा गया: फिर से स्कैन करें।',
  line_too_long: 'स्कैनर ने इतनी लंबी लाइन भेजी कि वह बैग कोड नहीं हो सकती: फिर से स्कैन करें।',
  invalid_utf8: 'स्कैनर ने ऐसे बाइट भेजे जो टेक्स्ट नहीं हैं: उसकी सेटिंग (USB सीरियल, UTF-8) जाँचें और फिर स्कैन करें।',
  control_characters: 'स्कैनर ने कंट्रोल अक्षर भेजे: उसकी प्रीफ़िक्स और सफ़िक्स सेटिंग जाँचें और फिर स्कैन करें।',
  code_not_ascii:
    'कोड {code} में अक्षर {char} है, जो किसी बैग कोड में नहीं होता (केवल A-Z, 0-9 और ASCII चिह्न): स्कैनर की कीबोर्ड भाषा जाँचें और फिर स्कैन करें।',
  no_active_parent: 'पहले पैरेंट बैग स्कैन करें, फिर उसके चाइल्ड बैग।',
  parent_full: 'पैरेंट {parent} भर गया है ({capacity} बैग): नया पैरेंट बैग स्कैन करें।',
  linked_elsewhere: 'चाइल्ड {child} पहले से पैरेंट {otherParent} में है: इसे बदलने के लिए सुपरवाइज़र से कहें।',
  parent_on_closed_bill: 'पैरेंट {parent} पूरे हो चुके बिल {billNo} पर है: बिल फिर से खुलवाने के लिए सुपरवाइज़र से कहें।',
  other_area: 'बैग {code} डिस्पैच क्षेत्र {bagArea} का है, इस स्टेशन ({stationArea}) का नहीं।',
  kind_mismatch: 'बैग {code} {actual} बैग है, {expected} बैग नहीं।',
  bag_not_found: '{code} नाम का कोई बैग नहीं है।',
  not_linked: 'चाइल्ड {child} किसी पैरेंट में नहीं है।',
  nothing_to_undo: 'वापस लेने के लिए आपका कोई स्कैन नहीं है।',
  undo_window_passed: 'आपका पिछला जोड़ ({child} को {parent} में) {minutes} मिनट से पुराना है: सुपरवाइज़र से कहें।',
  same_parent: 'चाइल्ड {child} पहले से पैरेंट {parent} में है।',
  reason_required: 'कारण बताएँ: बैग हटाने या बदलने के लिए कारण ज़रूरी है, जो ऑडिट ट्रेल में रहता है।',
  scanners_unavailable: 'यह प्रोसेस सीरियल स्कैनर नहीं चलाता: स्टेशन को `baglink serve` या डेस्कटॉप ऐप से चलाएँ।',
  bill_exists: 'बिल नंबर {billNo} पहले से इस्तेमाल हो चुका है।',
  bill_not_found: '{billNo} नाम का कोई बिल नहीं है।',
  bill_not_open: 'बिल {billNo} पूरा हो चुका है: पहले उसे फिर से खोलें।',
  bill_not_completed: 'बिल {billNo} अभी खुला है।',
  bill_full: 'बिल {billNo} भर गया है ({capacity} पैरेंट बैग)।',
  parent_on_other_bill: 'पैरेंट {parent} पहले से बिल {billNo} पर है।',
  parent_already_on_bill: 'पैरेंट {parent} पहले से बिल {billNo} पर है। कुछ नहीं बदला।',
  invalid_capacity: 'एक बिल में 1 से {max} पैरेंट बैग होते हैं।',
  parent_not_on_bill: 'पैरेंट {parent} बिल {billNo} पर नहीं है।',
  parent_empty: 'पैरेंट {parent} में कोई चाइल्ड बैग नहीं है: बिल पर चढ़ाने से पहले उसे भरें।',
  invalid_bill_no: 'बिल नंबर {billNo} सही नहीं है: 1 से 40 अक्षर, अंक, - या / इस्तेमाल करें।',
  invalid_date: 'तारीख {date} सही नहीं है: दिन को YYYY-MM-DD में लिखें, जैसे 2026-01-15।',
  invalid_export_format: 'यह निर्यात {format} में नहीं बन सकता: {formats} में से चुनें।',
  not_enrolled:
    'यह स्टेशन किसी केंद्र से नहीं जुड़ा है: IT से नामांकन लाइन लें और "baglink join --enrolment-file FILE" चलाएँ।',
  enrolment_invalid: 'नामांकन पढ़ा नहीं जा सका: "baglink central add-station" की छापी हुई पूरी लाइन कॉपी करें।',
  conflict_not_found: '{id} नाम का कोई खुला टकराव नहीं है: शायद वह पहले ही सुलझ गया है।',
  conflict_cannot_move: 'टकराव {id} किसी पैरेंट के चाइल्ड बैग का नहीं है: केंद्र की स्थिति ही रखें।',
  pattern_unsupported:
    'कोड पैटर्न {pattern} में अक्षर {position} पर {token} है, जो कोड पैटर्न में नहीं हो सकता: एक तय शुरुआत, [A-Z0-9] या \\d जैसी श्रेणियाँ और गिनती लिखें, जैसे {example}।',
  pattern_malformed:
    'कोड पैटर्न {pattern} अक्षर {position} पर पढ़ा नहीं जा सका: उसकी [ ] श्रेणियाँ और गिनती (ज़्यादा से ज़्यादा 100) जाँचें, जैसे {example}।',
  pattern_not_anchored:
    'कोड पैटर्न {pattern} ^ से शुरू और $ पर खत्म होना चाहिए, क्योंकि वह पूरे कोड को बताता है, जैसे {example}।',
  pattern_refused:
    'सहेजा हुआ कोड पैटर्न {pattern} सुरक्षित कोड पैटर्न नहीं है और इस्तेमाल नहीं हो रहा: एडमिन उसे सेटिंग में बदले; तब तक जो कोड केवल उससे मिलते थे वे अस्वीकार होंगे।',
  station_missing:
    '{dataDir} में कोई स्टेशन नहीं है: --data-dir (या BAGLINK_DATA_DIR) जाँचें, या "baglink migrate" से स्टेशन बनाएँ।',
  station_empty:
    'स्टेशन डेटाबेस {path} खाली है या अधूरा कटा हुआ है ({bytes} बाइट), इसलिए न खोला गया न बदला गया: बैकअप वापस लाएँ ' +
    '("baglink restore FILE") या स्टेशन को केंद्र से वापस लाएँ (README, "Backups and recovery"); अगर इस फ़ोल्डर में ' +
    'कभी स्टेशन नहीं था, तो फ़ाइल मिटाएँ और "baglink migrate" चलाएँ।',
  station_damaged:
    'स्टेशन डेटाबेस {path} खराब है ({detail}), इसलिए स्टेशन इसे इस्तेमाल नहीं करेगा: बैकअप वापस लाएँ ("baglink restore FILE") या ' +
    'स्टेशन को केंद्र से वापस लाएँ (README, "Backups and recovery")।',
  disk_full: 'डिस्क भर गई है: कुछ भी सहेजा नहीं गया। {path} वाली डिस्क पर जगह खाली करें, फिर से कोशिश करें।',
  export_target_invalid:
    'निर्यात {path} में नहीं लिखा जा सकता: यह साधारण फ़ाइल नहीं है (लिंक, पाइप, डिवाइस या फ़ोल्डर)। --out में नई फ़ाइल का ' +
    'नाम या बदलने लायक साधारण फ़ाइल दें।',
  export_folder_unwritable:
    'निर्यात फ़ोल्डर {folder} में नहीं लिखा जा सकता ({detail}): --out में ऐसे फ़ोल्डर की फ़ाइल दें जिसमें आप लिख सकें।',
  enrolment_insecure:
    'केंद्र के पते में sslmode={sslmode} है: स्टेशन का गुप्त कोड नेटवर्क पर बिना जाँच के जाएगा। केंद्र के CA के साथ sslmode=verify-full इस्तेमाल करें, या इसी PC के जाँच-केंद्र के लिए --insecure जोड़ें।',
  enrolment_in_argv:
    'नामांकन लाइन फ़ाइल से (--enrolment-file FILE, जिसे सिर्फ़ आप पढ़ सकें) या standard input से (--enrolment-stdin) दें, कमांड लाइन पर कभी नहीं, जहाँ इस PC के दूसरे उपयोगकर्ता उसे पढ़ सकते हैं।',
  enrolment_file_open:
    'नामांकन फ़ाइल {path} दूसरे उपयोगकर्ता पढ़ सकते हैं: उसे सिर्फ़ अपने लिए पढ़ने लायक बनाएँ (chmod 600 {path}) और फिर कोशिश करें।',
  weak_pin: 'PIN कम से कम {min} अंकों का होना चाहिए, और सिर्फ़ अंक।',
  pin_too_short:
    'आपका PIN {min} अंकों से छोटा है और अब स्टेशन नहीं खोलता: अपने उपयोगकर्ता नाम और पासवर्ड से लॉग इन करें, और किसी एडमिन से नया PIN रखवाएँ।',
  permission_denied:
    '{path} पर अनुमति नहीं है: इस उपयोगकर्ता को dialout समूह में जोड़ें (sudo usermod -aG dialout $USER) और फिर से लॉग इन करें।',
  port_busy: '{path} वाला स्कैनर व्यस्त है: उसे इस्तेमाल करने वाला दूसरा प्रोग्राम बंद करें।',
  port_busy_modem_manager:
    '{path} वाला स्कैनर व्यस्त है: उसे इस्तेमाल करने वाला दूसरा प्रोग्राम बंद करें। अगर कोई दूसरा प्रोग्राम खुला नहीं है, तो ModemManager उसे पकड़े हो सकता है: resources/udev/99-baglink-scanners.rules लगाएँ, या ModemManager रोकें (sudo systemctl stop ModemManager)।',
  unplugged: '{path} वाला स्कैनर जुड़ा नहीं है: उसे फिर से लगाएँ; स्टेशन अपने आप जुड़ जाएगा।',
  open_failed: '{path} वाला स्कैनर खुल नहीं सका ({detail}): केबल और पोर्ट की सेटिंग जाँचें।',
  connection_lost: '{path} वाले स्कैनर ने जवाब देना बंद कर दिया ({detail}): केबल जाँचें; स्टेशन अपने आप फिर जुड़ जाएगा।',
  vendor_not_scanner:
    '{path} पर विक्रेता {vendorId} कोई जाना-पहचाना स्कैनर नहीं है: उसे लेने के लिए पाथ को स्कैनर सूची में जोड़ें।',
  vendor_unknown: '{path} का विक्रेता पता नहीं है: उसे लेने के लिए पाथ को स्कैनर सूची में जोड़ें।',
  sim_port_missing: 'बताएँ कि किस पोर्ट पर लिखना है: --port /dev/ttyUSB0 (या जाँच का pty पाथ)।',
  sim_bad_terminator: 'टर्मिनेटर {terminator} पता नहीं है: cr, lf, crlf, tab या none इस्तेमाल करें।',
  sim_bad_number: '--{flag} के लिए {value} 0 से बड़ी संख्या नहीं है: जैसे --rate 5 या --baud 9600 दें।',
  data_dir_unusable:
    'डेटा फ़ोल्डर {path} इस्तेमाल नहीं हो सकता ({reason}): --data-dir या BAGLINK_DATA_DIR से ऐसा फ़ोल्डर दें जिसमें आप लिख सकें।',
};
