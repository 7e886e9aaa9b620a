
thrombo-order-sign
order-sign$93809d91-8c40-4ad7-9e7f-34bad80278aa"https://ehr.example.org/fhir2
userIdPractitioner/load-321
	patientId$3a164740-5d71-427f-bcc1-39279fe075b72
encounterIdenc-3BÛX	zÓ"Shttps://ehr.example.org/fhir/MedicationRequest/6cb5409a-e5c4-4cc6-92cb-24e64f755f26*ñì
$6cb5409a-e5c4-4cc6-92cb-24e64f755f26`"Ä‡˚áâ£ò+00:002Ihttp://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequestXhr\Z@http://terminology.hl7.org/CodeSystem/medicationrequest-category*
outpatient2
OutpatientöyV+http://www.nlm.nih.gov/research/umls/rxnorm*6437202lenalidomide 25 MG Oral Capsule"lenalidomide 25 MG Oral Capsule™.,Patient/3a164740-5d71-427f-bcc1-39279fe075b7¬Ä‡˚áâ£ò+00:00 2Synthetic Oncologist, MDÚ0.Condition/aa96f916-d2b4-4b2b-a647-f888cb65b63b≤í **25 mg daily on days 1-21 of a 28-day cycleB7"5*
21*days2http://unitsofmeasure.org:dXj
1xb0.http://snomed.info/sct*266430062
Oral routerwJH4http://terminology.hl7.org/CodeSystem/dose-rate-type*ordered2Ordered*)
25*mg2http://unitsofmeasure.org:mgJÄ
medicationRequestsÈbÊXhz¯"Shttps://ehr.example.org/fhir/MedicationRequest/12d4bbcf-db05-4e90-993b-c9f397912ea7*úô
$12d4bbcf-db05-4e90-993b-c9f397912ea7`"Ä‡˚áâ£ò+00:002Ihttp://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequestXhr\Z@http://terminology.hl7.org/CodeSystem/medicationrequest-category*
outpatient2
OutpatientöSB+http://www.nlm.nih.gov/research/umls/rxnorm*32642dexamethasone"dexamethasone™.,Patient/3a164740-5d71-427f-bcc1-39279fe075b7¬Ä†˜≈¥áò+00:00 2Synthetic Oncologist, MDÚ0.Condition/aa96f916-d2b4-4b2b-a647-f888cb65b63b≤æ B"Xj
1xÇb0.http://snomed.info/sct*266430062
Oral routerwJH4http://terminology.hl7.org/CodeSystem/dose-rate-type*ordered2Ordered*)
40*mg2http://unitsofmeasure.org:mg2z‰"Shttps://ehr.example.org/fhir/MedicationRequest/4037ce98-e676-45b0-80d9-614102f963c3*àÖ
$4037ce98-e676-45b0-80d9-614102f963c3`"Ä‡˚áâ£ò+00:002Ihttp://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequestXhr\Z@http://terminology.hl7.org/CodeSystem/medicationrequest-category*
outpatient2
OutpatientövU+http://www.nlm.nih.gov/research/umls/rxnorm*12320862rivaroxaban 20 MG Oral Tablet"rivaroxaban 20 MG Oral Tablet™.,Patient/3a164740-5d71-427f-bcc1-39279fe075b7¬Ä‡ﬁ˘Óˇó+00:00 2Synthetic Oncologist, MD≤∫ B"	Xj
1xb0.http://snomed.info/sct*266430062
Oral routerwJH4http://terminology.hl7.org/CodeSystem/dose-rate-type*ordered2Ordered*)
20*mg2http://unitsofmeasure.org:mg2J
medicationStatementsbXJ
	allergiesbXJ‚

conditions”b–XhzË"Khttps://ehr.example.org/fhir/Condition/aa96f916-d2b4-4b2b-a647-f888cb65b63b*î2ë
$aa96f916-d2b4-4b2b-a647-f888cb65b63bX"Ä‡˚áâ£ò+00:002Ahttp://hl7.org/fhir/us/core/StructureDefinition/us-core-conditionZDB8http://terminology.hl7.org/CodeSystem/condition-clinical*activebIG:http://terminology.hl7.org/CodeSystem/condition-ver-status*	confirmedjb`8http://terminology.hl7.org/CodeSystem/condition-category*problem-list-item2Problem List Itemzº@http://snomed.info/sct*	1099890062Multiple myeloma (disorder)[!http://hl7.org/fhir/sid/icd-10-cm*C90.002.Multiple myeloma not having achieved remission"Multiple myeloma (disorder)ä.,Patient/3a164740-5d71-427f-bcc1-39279fe075b7ö¿‹™…è≥ó+00:00Í¿‹™…è≥ó+00:002z∫"Khttps://ehr.example.org/fhir/Condition/79e87030-c287-4282-9c22-6afc9bcddcb5*Ê2„
$79e87030-c287-4282-9c22-6afc9bcddcb5X"Ä‡˚áâ£ò+00:002Ahttp://hl7.org/fhir/us/core/StructureDefinition/us-core-conditionZDB8http://terminology.hl7.org/CodeSystem/condition-clinical*activebIG:http://terminology.hl7.org/CodeSystem/condition-ver-status*	confirmedjb`8http://terminology.hl7.org/CodeSystem/condition-category*problem-list-item2Problem List ItemzéWhttp://snomed.info/sct*3834100323Hypertensive disorder, systemic arterial (disorder)"3Hypertensive disorder, systemic arterial (disorder)ä.,Patient/3a164740-5d71-427f-bcc1-39279fe075b7öÄ◊ƒ˝Æ¶ı+00:00ÍÄ◊ƒ˝Æ¶ı+00:002z°"Khttps://ehr.example.org/fhir/Condition/2f4b4aa6-ca0c-4ab3-90f6-dc72bf57a734*Õ2 
$2f4b4aa6-ca0c-4ab3-90f6-dc72bf57a734X"Ä‡˚áâ£ò+00:002Ahttp://hl7.org/fhir/us/core/StructureDefinition/us-core-conditionZDB8http://terminology.hl7.org/CodeSystem/condition-clinical*activebIG:http://terminology.hl7.org/CodeSystem/condition-ver-status*	confirmedjb`8http://terminology.hl7.org/CodeSystem/condition-category*problem-list-item2Problem List ItemzvO!http://hl7.org/fhir/sid/icd-10-cm*N18.92#Chronic kidney disease, unspecified"#Chronic kidney disease, unspecifiedä.,Patient/3a164740-5d71-427f-bcc1-39279fe075b7öÄ∂˝¬ÇÉ+00:00ÍÄ∂˝¬ÇÉ+00:002J

proceduresbXJ¸
patient
Ì
$3a164740-5d71-427f-bcc1-39279fe075b7V"Ä‡˚áâ£ò+00:002?http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient2ê<http://hl7.org/fhir/us/core/StructureDefinition/us-core-raceÚ?ombCategoryZ0urn:oid:2.16.840.1.113883.6.238*2106-32WhiteÚtextWhiteR†"cJ-http://terminology.hl7.org/CodeSystem/v2-0203*MR2Medical Record Number"Medical Record Number*(https://thrombo.example.org/fhir/sid/mrn2SYN1782414389Xb$official*	Synthetic2Patient414389hrÄ¿òÄ°ÅÀ˛ˇJ¬
observations±bÆXhzÍ"Mhttps://ehr.example.org/fhir/Observation/5c986d42-5c2b-4d7e-be25-823c3b3f168f*î:ë
$5c986d42-5c2b-4d7e-be25-823c3b3f168fI"Ä‡˚áâ£ò+00:0022http://hl7.org/fhir/StructureDefinition/bodyweighthrXV:http://terminology.hl7.org/CodeSystem/observation-category*vital-signs2Vital Signsz7(http://loinc.org*29463-72Body weight"Body weightÇ.,Patient/3a164740-5d71-427f-bcc1-39279fe075b7öÄ‡˚áâ£ò+00:00∫Ä® ºñ£ò+00:00 +
71.5*kg2http://unitsofmeasure.org:kg2zË"Mhttps://ehr.example.org/fhir/Observation/54a65e7b-a953-48cd-afca-276b8d330439*í:è
$54a65e7b-a953-48cd-afca-276b8d330439I"Ä‡˚áâ£ò+00:0022http://hl7.org/fhir/StructureDefinition/bodyheighthrXV:http://terminology.hl7.org/CodeSystem/observation-category*vital-signs2Vital Signsz6'http://loinc.org*8302-22Body height"Body heightÇ.,Patient/3a164740-5d71-427f-bcc1-39279fe075b7öÄ‡˚áâ£ò+00:00∫Ä® ºñ£ò+00:00 *
157*cm2http://unitsofmeasure.org:cm2zç"Mhttps://ehr.example.org/fhir/Observation/718d651e-3309-4d94-882f-f6abfec1abf8*∑:¥
$718d651e-3309-4d94-882f-f6abfec1abf8B"Ä‡˚áâ£ò+00:002+http://hl7.org/fhir/StructureDefinition/bmihrXV:http://terminology.hl7.org/CodeSystem/observation-category*vital-signs2Vital Signsz[:http://loinc.org*39156-52Body mass index (BMI) [Ratio]"Body mass index (BMI) [Ratio]Ç.,Patient/3a164740-5d71-427f-bcc1-39279fe075b7öÄ‡˚áâ£ò+00:00∫Ä® ºñ£ò+00:00 1
29.0*kg/m22http://unitsofmeasure.org:kg/m22zÃ"Mhttps://ehr.example.org/fhir/Observation/4cd9207e-a16b-43fc-a898-b808933c030e*ˆ:Û
$4cd9207e-a16b-43fc-a898-b808933c030e^"Ä‡˚áâ£ò+00:002Ghttp://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-labhrVT:http://terminology.hl7.org/CodeSystem/observation-category*
laboratory2
LaboratoryzKhttp://loinc.org*777-320Platelets [#/volume] in Blood by Automated count"0Platelets [#/volume] in Blood by Automated countÇ.,Patient/3a164740-5d71-427f-bcc1-39279fe075b7öÄ†ûô«†ò+00:00∫ÄËÏÕ‘†ò+00:00 2
311*10*9/L2http://unitsofmeasure.org:10*9/L2z¬"Mhttps://ehr.example.org/fhir/Observation/816f7b74-4ff2-4253-a263-217c03b1371c*Ï:È
$816f7b74-4ff2-4253-a263-217c03b1371c^"Ä‡˚áâ£ò+00:002Ghttp://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-labhrVT:http://terminology.hl7.org/CodeSystem/observation-category*
laboratory2
LaboratoryzvGhttp://loinc.org*2160-02+Creatinine [Mass/volume] in Serum or Plasma"+Creatinine [Mass/volume] in Serum or PlasmaÇ.,Patient/3a164740-5d71-427f-bcc1-39279fe075b7öÄ†ûô«†ò+00:00∫ÄËÏÕ‘†ò+00:00 1
1.49*mg/dL2http://unitsofmeasure.org:mg/dL2z´"Mhttps://ehr.example.org/fhir/Observation/bda3edfa-8740-4842-bb30-118ecd618024*’:“
$bda3edfa-8740-4842-bb30-118ecd618024^"Ä‡˚áâ£ò+00:002Ghttp://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-labhrVT:http://terminology.hl7.org/CodeSystem/observation-category*
laboratory2
Laboratoryza<http://loinc.org*718-72!Hemoglobin [Mass/volume] in Blood"!Hemoglobin [Mass/volume] in BloodÇ.,Patient/3a164740-5d71-427f-bcc1-39279fe075b7öÄ†ûô«†ò+00:00∫ÄËÏÕ‘†ò+00:00 /
12.1*g/dL2http://unitsofmeasure.org:g/dL2