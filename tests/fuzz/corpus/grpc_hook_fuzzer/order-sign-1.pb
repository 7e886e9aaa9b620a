
thrombo-order-sign
order-sign$142ebc82-774f-41b2-a8b7-105b6b0c6072"https://ehr.example.org/fhir2
encounterIdenc-121
	patientId$2405955f-5c3b-437a-8b50-55739fae57302
userIdPractitioner/load-1BÛX	zÓ"Shttps://ehr.example.org/fhir/MedicationRequest/4509a38f-a0a8-4337-a812-745a6e7f9e23*ñì
$4509a38f-a0a8-4337-a812-745a6e7f9e23`"Ä‡˚áâ£ò+00:002Ihttp://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequestXhr\Z@http://terminology.hl7.org/CodeSystem/medicationrequest-category*
outpatient2
OutpatientöyV+http://www.nlm.nih.gov/research/umls/rxnorm*6437202lenalidomide 25 MG Oral Capsule"lenalidomide 25 MG Oral Capsule™.,Patient/2405955f-5c3b-437a-8b50-55739fae5730¬Ä‡˚áâ£ò+00:00 2Synthetic Oncologist, MDÚ0.Condition/97e11b1a-ad63-4ace-9192-6e9c1564afff≤í **25 mg daily on days 1-14 of a 21-day cycleB7"5*
14*days2http://unitsofmeasure.org:dXj
1xb0.http://snomed.info/sct*266430062
Oral routerwJH4http://terminology.hl7.org/CodeSystem/dose-rate-type*ordered2Ordered*)
25*mg2http://unitsofmeasure.org:mgJ£

conditionsîbëXhzä"Khttps://ehr.example.org/fhir/Condition/97e11b1a-ad63-4ace-9192-6e9c1564afff*∂2≥
$97e11b1a-ad63-4ace-9192-6e9c1564afffX"Ä‡˚áâ£ò+00:002Ahttp://hl7.org/fhir/us/core/StructureDefinition/us-core-conditionZDB8http://terminology.hl7.org/CodeSystem/condition-clinical*activebIG:http://terminology.hl7.org/CodeSystem/condition-ver-status*	confirmedjb`8http://terminology.hl7.org/CodeSystem/condition-category*problem-list-item2Problem List Itemz_@http://snomed.info/sct*	1099890062Multiple myeloma (disorder)"Multiple myeloma (disorder)ä.,Patient/2405955f-5c3b-437a-8b50-55739fae5730öÄùæ—ç⁄ï+00:00ÍÄùæ—ç⁄ï+00:002J∑
medicationRequests†bùXhz¿"Shttps://ehr.example.org/fhir/MedicationRequest/b7d79ec6-c853-4634-bb70-ac96015455a8*‰·
$b7d79ec6-c853-4634-bb70-ac96015455a8`"Ä‡˚áâ£ò+00:002Ihttp://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequestXhr\Z@http://terminology.hl7.org/CodeSystem/medicationrequest-category*
outpatient2
OutpatientöOA+http://www.nlm.nih.gov/research/umls/rxnorm*3582582
bortezomib"
bortezomib™.,Patient/2405955f-5c3b-437a-8b50-55739fae5730¬Ä†∆≠©¯ó+00:00 2Synthetic Oncologist, MDÚ0.Condition/97e11b1a-ad63-4ace-9192-6e9c1564afff≤ä B"
Xj
21xrxJH4http://terminology.hl7.org/CodeSystem/dose-rate-type*ordered2Ordered**
2.3*mg2http://unitsofmeasure.org:mg2z”"Shttps://ehr.example.org/fhir/MedicationRequest/b0745254-b720-4965-b528-faa2d7e07c61*˜Ù
$b0745254-b720-4965-b528-faa2d7e07c61`"Ä‡˚áâ£ò+00:002Ihttp://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequestXhr\Z@http://terminology.hl7.org/CodeSystem/medicationrequest-category*
outpatient2
OutpatientöwU+http://www.nlm.nih.gov/research/umls/rxnorm*1975822dexamethasone 4 MG Oral Tablet"dexamethasone 4 MG Oral Tablet™.,Patient/2405955f-5c3b-437a-8b50-55739fae5730¬Ä†Åã≠˝ó+00:00 2Synthetic Oncologist, MDÚ0.Condition/97e11b1a-ad63-4ace-9192-6e9c1564afff≤ı *820 mg on days 1, 2, 4, 5, 8, 9, 11, 12 of a 21-day cycleB"
Xj
21xb0.http://snomed.info/sct*266430062
Oral routerwJH4http://terminology.hl7.org/CodeSystem/dose-rate-type*ordered2Ordered*)
20*mg2http://unitsofmeasure.org:mg2J

proceduresbXJ
medicationStatementsbXJ
	allergiesbXJ⁄
observations…b∆XhzÍ"Mhttps://ehr.example.org/fhir/Observation/68abc9b4-246f-4b4f-a559-22fa79beaf91*î:ë
$68abc9b4-246f-4b4f-a559-22fa79beaf91I"Ä‡˚áâ£ò+00:0022http://hl7.org/fhir/StructureDefinition/bodyweighthrXV:http://terminology.hl7.org/CodeSystem/observation-category*vital-signs2Vital Signsz7(http://loinc.org*29463-72Body weight"Body weightÇ.,Patient/2405955f-5c3b-437a-8b50-55739fae5730öÄ†ûô«†ò+00:00∫ÄËÏÕ‘†ò+00:00 +
54.7*kg2http://unitsofmeasure.org:kg2zË"Mhttps://ehr.example.org/fhir/Observation/cbeb003b-ea5a-4be0-beb4-1ef051adb8f6*í:è
$cbeb003b-ea5a-4be0-beb4-1ef051adb8f6I"Ä‡˚áâ£ò+00:0022http://hl7.org/fhir/StructureDefinition/bodyheighthrXV:http://terminology.hl7.org/CodeSystem/observation-category*vital-signs2Vital Signsz6'http://loinc.org*8302-22Body height"Body heightÇ.,Patient/2405955f-5c3b-437a-8b50-55739fae5730öÄ†ûô«†ò+00:00∫ÄËÏÕ‘†ò+00:00 *
182*cm2http://unitsofmeasure.org:cm2zç"Mhttps://ehr.example.org/fhir/Observation/0965aafc-ce9b-4b74-8910-8e32df7289d7*∑:¥
$0965aafc-ce9b-4b74-8910-8e32df7289d7B"Ä‡˚áâ£ò+00:002+http://hl7.org/fhir/StructureDefinition/bmihrXV:http://terminology.hl7.org/CodeSystem/observation-category*vital-signs2Vital Signsz[:http://loinc.org*39156-52Body mass index (BMI) [Ratio]"Body mass index (BMI) [Ratio]Ç.,Patient/2405955f-5c3b-437a-8b50-55739fae5730öÄ†ûô«†ò+00:00∫ÄËÏÕ‘†ò+00:00 1
16.5*kg/m22http://unitsofmeasure.org:kg/m22zÃ"Mhttps://ehr.example.org/fhir/Observation/f0ce95d3-fee9-47fa-b9a8-0658d3ff22c0*ˆ:Û
$f0ce95d3-fee9-47fa-b9a8-0658d3ff22c0^"Ä‡˚áâ£ò+00:002Ghttp://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-labhrVT:http://terminology.hl7.org/CodeSystem/observation-category*
laboratory2
LaboratoryzKhttp://loinc.org*777-320Platelets [#/volume] in Blood by Automated count"0Platelets [#/volume] in Blood by Automated countÇ.,Patient/2405955f-5c3b-437a-8b50-55739fae5730öÄ†≤£∏åò+00:00∫ÄËÄÿ≈åò+00:00 2
168*10*9/L2http://unitsofmeasure.org:10*9/L2z∆"Mhttps://ehr.example.org/fhir/Observation/147a0302-7d5a-4134-b0bc-dcf9a85b5b61*:Ì
$147a0302-7d5a-4134-b0bc-dcf9a85b5b61^"Ä‡˚áâ£ò+00:002Ghttp://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-labhrVT:http://terminology.hl7.org/CodeSystem/observation-category*
laboratory2
LaboratoryzyIhttp://loinc.org*14682-92,Creatinine [Moles/volume] in Serum or Plasma",Creatinine [Moles/volume] in Serum or PlasmaÇ.,Patient/2405955f-5c3b-437a-8b50-55739fae5730öÄ†≤£∏åò+00:00∫ÄËÄÿ≈åò+00:00 2
123*umol/L2http://unitsofmeasure.org:umol/L2z´"Mhttps://ehr.example.org/fhir/Observation/e36a440b-eba2-4311-a930-98ea96a3e51d*’:“
$e36a440b-eba2-4311-a930-98ea96a3e51d^"Ä‡˚áâ£ò+00:002Ghttp://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-labhrVT:http://terminology.hl7.org/CodeSystem/observation-category*
laboratory2
Laboratoryza<http://loinc.org*718-72!Hemoglobin [Mass/volume] in Blood"!Hemoglobin [Mass/volume] in BloodÇ.,Patient/2405955f-5c3b-437a-8b50-55739fae5730öÄ†≤£∏åò+00:00∫ÄËÄÿ≈åò+00:00 /
11.7*g/dL2http://unitsofmeasure.org:g/dL2zë"Mhttps://ehr.example.org/fhir/Observation/dbb01766-0807-4f2d-9c4e-37cd1d34ee95*ª:∏
$dbb01766-0807-4f2d-9c4e-37cd1d34ee95^"Ä‡˚áâ£ò+00:002Ghttp://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-labhrVT:http://terminology.hl7.org/CodeSystem/observation-category*
laboratory2
Laboratoryz∞§http://loinc.org*98979-82ÜGlomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)"ÜGlomerular filtration rate/1.73 sq M.predicted [Volume Rate/Area] in Serum, Plasma or Blood by Creatinine-based formula (CKD-EPI 2021)Ç.,Patient/2405955f-5c3b-437a-8b50-55739fae5730öÄ†≤£∏åò+00:00∫ÄËÄÿ≈åò+00:00 E
32*mL/min/{1.73_m2}2http://unitsofmeasure.org:mL/min/{1.73_m2}2J¸
patient
Ì
$2405955f-5c3b-437a-8b50-55739fae5730V"Ä‡˚áâ£ò+00:002?http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient2ê<http://hl7.org/fhir/us/core/StructureDefinition/us-core-raceÚ?ombCategoryZ0urn:oid:2.16.840.1.113883.6.238*2106-32WhiteÚtextWhiteR†"cJ-http://terminology.hl7.org/CodeSystem/v2-0203*MR2Medical Record Number"Medical Record Number*(https://thrombo.example.org/fhir/sid/mrn2SYN5349024018Xb$official*	Synthetic2Patient024018hrÄÄ¥ÒÖ€Á˛ˇ