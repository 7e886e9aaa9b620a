
thrombo-order-sign
order-sign$2900c388-8e91-4a47-a684-0c595f050f73"https://ehr.example.org/fhir2
encounterIdenc-221
	patientId$6dce79c5-6c62-4e4b-8580-62b263f5ded02
userIdPractitioner/load-2B»X	z√"Shttps://ehr.example.org/fhir/MedicationRequest/12e55fd9-ac38-4d25-a621-16ee2da0a058*ÎË
$12e55fd9-ac38-4d25-a621-16ee2da0a058`"Ä‡˚áâ£ò+00:002Ihttp://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequest*õò
med1ZyV+http://www.nlm.nih.gov/research/umls/rxnorm*6029102lenalidomide 10 MG Oral Capsule"lenalidomide 10 MG Oral Capsule`rCA:http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm*CAPÇÃSC+http://www.nlm.nih.gov/research/umls/rxnorm*3423692lenalidomide"lenalidomide(2s)
10*mg2http://unitsofmeasure.org:mg"F
12:http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm:CAPXhr\Z@http://terminology.hl7.org/CodeSystem/medicationrequest-category*
outpatient2
Outpatient¢#med12lenalidomide™.,Patient/6dce79c5-6c62-4e4b-8580-62b263f5ded0¬Ä‡˚áâ£ò+00:00 2Synthetic Oncologist, MDÚ0.Condition/f5bd2097-8905-4415-bd25-4b2bd6e28327≤. **10 mg daily on days 1-21 of a 28-day cycleJ
	allergiesbXJ

proceduresbXJé

conditionsˇb¸Xhzä"Khttps://ehr.example.org/fhir/Condition/f5bd2097-8905-4415-bd25-4b2bd6e28327*∂2≥
$f5bd2097-8905-4415-bd25-4b2bd6e28327X"Ä‡˚áâ£ò+00:002Ahttp://hl7.org/fhir/us/core/StructureDefinition/us-core-conditionZDB8http://terminology.hl7.org/CodeSystem/condition-clinical*activebIG:http://terminology.hl7.org/CodeSystem/condition-ver-status*	confirmedjb`8http://terminology.hl7.org/CodeSystem/condition-category*problem-list-item2Problem List Itemz_@http://snomed.info/sct*	1099890062Multiple myeloma (disorder)"Multiple myeloma (disorder)ä.,Patient/6dce79c5-6c62-4e4b-8580-62b263f5ded0öÄ®ˇŸàè˚+00:00ÍÄ®ˇŸàè˚+00:002zô"Khttps://ehr.example.org/fhir/Condition/5125ec68-165c-4dfa-bea5-493a37664f64*≈2¬
$5125ec68-165c-4dfa-bea5-493a37664f64X"Ä‡˚áâ£ò+00:002Ahttp://hl7.org/fhir/us/core/StructureDefinition/us-core-conditionZDB8http://terminology.hl7.org/CodeSystem/condition-clinical*activebIG:http://terminology.hl7.org/CodeSystem/condition-ver-status*	confirmedjb`8http://terminology.hl7.org/CodeSystem/condition-category*problem-list-item2Problem List ItemznJ!http://hl7.org/fhir/sid/icd-10-cm*I102 Essential (primary) hypertension" Essential (primary) hypertensionä.,Patient/6dce79c5-6c62-4e4b-8580-62b263f5ded0ö¿¿áˇ´‡‚+00:00Í¿¿áˇ´‡‚+00:002zÃ"Khttps://ehr.example.org/fhir/Condition/e219ff7c-b494-432b-8670-cc0505d52243*¯2ı
$e219ff7c-b494-432b-8670-cc0505d52243X"Ä‡˚áâ£ò+00:002Ahttp://hl7.org/fhir/us/core/StructureDefinition/us-core-conditionZDB8http://terminology.hl7.org/CodeSystem/condition-clinical*activebIG:http://terminology.hl7.org/CodeSystem/condition-ver-status*	confirmedjb`8http://terminology.hl7.org/CodeSystem/condition-category*problem-list-item2Problem List Itemz†<http://snomed.info/sct*841140072Heart failure (disorder)F!http://hl7.org/fhir/sid/icd-10-cm*I50.92Heart failure, unspecified"Heart failure (disorder)ä.,Patient/6dce79c5-6c62-4e4b-8580-62b263f5ded0öÄÖã¨å∑Œ+00:00ÍÄÖã¨å∑Œ+00:002J¡
observations∞b≠XhzÍ"Mhttps://ehr.example.org/fhir/Observation/5898b273-fed3-441e-b3d3-dc2baa0787d6*î:ë
$5898b273-fed3-441e-b3d3-dc2baa0787d6I"Ä‡˚áâ£ò+00:0022http://hl7.org/fhir/StructureDefinition/bodyweighthrXV:http://terminology.hl7.org/CodeSystem/observation-category*vital-signs2Vital Signsz7(http://loinc.org*29463-72Body weight"Body weightÇ.,Patient/6dce79c5-6c62-4e4b-8580-62b263f5ded0öÄ†≤£∏åò+00:00∫ÄËÄÿ≈åò+00:00 +
89.6*kg2http://unitsofmeasure.org:kg2zË"Mhttps://ehr.example.org/fhir/Observation/5dc0ad28-1a19-4891-9472-38aa4b4eb31b*í:è
$5dc0ad28-1a19-4891-9472-38aa4b4eb31bI"Ä‡˚áâ£ò+00:0022http://hl7.org/fhir/StructureDefinition/bodyheighthrXV:http://terminology.hl7.org/CodeSystem/observation-category*vital-signs2Vital Signsz6'http://loinc.org*8302-22Body height"Body heightÇ.,Patient/6dce79c5-6c62-4e4b-8580-62b263f5ded0öÄ†≤£∏åò+00:00∫ÄËÄÿ≈åò+00:00 *
165*cm2http://unitsofmeasure.org:cm2zç"Mhttps://ehr.example.org/fhir/Observation/0d7a597b-866b-4f10-96c1-93e29f70c10b*∑:¥
$0d7a597b-866b-4f10-96c1-93e29f70c10bB"Ä‡˚áâ£ò+00:002+http://hl7.org/fhir/StructureDefinition/bmihrXV:http://terminology.hl7.org/CodeSystem/observation-category*vital-signs2Vital Signsz[:http://loinc.org*39156-52Body mass index (BMI) [Ratio]"Body mass index (BMI) [Ratio]Ç.,Patient/6dce79c5-6c62-4e4b-8580-62b263f5ded0öÄ†≤£∏åò+00:00∫ÄËÄÿ≈åò+00:00 1
32.9*kg/m22http://unitsofmeasure.org:kg/m22zÃ"Mhttps://ehr.example.org/fhir/Observation/7554b842-72cf-4f0d-9efd-f2e7cc92df8c*ˆ:Û
$7554b842-72cf-4f0d-9efd-f2e7cc92df8c^"Ä‡˚áâ£ò+00:002Ghttp://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-labhrVT:http://terminology.hl7.org/CodeSystem/observation-category*
laboratory2
LaboratoryzKhttp://loinc.org*777-320Platelets [#/volume] in Blood by Automated count"0Platelets [#/volume] in Blood by Automated countÇ.,Patient/6dce79c5-6c62-4e4b-8580-62b263f5ded0öÄ†≤£∏åò+00:00∫ÄËÄÿ≈åò+00:00 2
266*10*9/L2http://unitsofmeasure.org:10*9/L2z¬"Mhttps://ehr.example.org/fhir/Observation/63c6a4a7-960d-4399-8734-963fa43600c2*Ï:È
$63c6a4a7-960d-4399-8734-963fa43600c2^"Ä‡˚áâ£ò+00:002Ghttp://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-labhrVT:http://terminology.hl7.org/CodeSystem/observation-category*
laboratory2
LaboratoryzvGhttp://loinc.org*2160-02+Creatinine [Mass/volume] in Serum or Plasma"+Creatinine [Mass/volume] in Serum or PlasmaÇ.,Patient/6dce79c5-6c62-4e4b-8580-62b263f5ded0öÄ†≤£∏åò+00:00∫ÄËÄÿ≈åò+00:00 1
0.67*mg/dL2http://unitsofmeasure.org:mg/dL2z™"Mhttps://ehr.example.org/fhir/Observation/02eb41ce-e793-4bbe-b92c-8dbf9dcebac4*‘:—
$02eb41ce-e793-4bbe-b92c-8dbf9dcebac4^"Ä‡˚áâ£ò+00:002Ghttp://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-labhrVT:http://terminology.hl7.org/CodeSystem/observation-category*
laboratory2
Laboratoryza<http://loinc.org*718-72!Hemoglobin [Mass/volume] in Blood"!Hemoglobin [Mass/volume] in BloodÇ.,Patient/6dce79c5-6c62-4e4b-8580-62b263f5ded0öÄ†≤£∏åò+00:00∫ÄËÄÿ≈åò+00:00 .
8.5*g/dL2http://unitsofmeasure.org:g/dL2J¸
patient
Ì
$6dce79c5-6c62-4e4b-8580-62b263f5ded0V"Ä‡˚áâ£ò+00:002?http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient2ê<http://hl7.org/fhir/us/core/StructureDefinition/us-core-raceÚ?ombCategoryZ0urn:oid:2.16.840.1.113883.6.238*2106-32WhiteÚtextWhiteR†"cJ-http://terminology.hl7.org/CodeSystem/v2-0203*MR2Medical Record Number"Medical Record Number*(https://thrombo.example.org/fhir/sid/mrn2SYN4926031727Xb$official*	Synthetic2Patient031727hrÄ¿Ÿıâ–∂ˇˇJ
medicationStatementsbXJ
medicationRequestsbX