
thrombo-order-sign
order-sign$59cf9e64-b170-4aa2-8133-16ea94697c5d"https://ehr.example.org/fhir2
encounterIdenc-021
	patientId$014f3375-401c-43fe-9c3b-b55d87d9eb302
userIdPractitioner/load-0BóX	zî"Shttps://ehr.example.org/fhir/MedicationRequest/d2c5566f-0ac8-4bf3-9bf9-f23c649482b1*–“
$d2c5566f-0ac8-4bf3-9bf9-f23c649482b1`"€àû‡‰£˜+00:002Ihttp://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequestXhr\Z@http://terminology.hl7.org/CodeSystem/medicationrequest-category*
outpatient2
OutpatientšyV+http://www.nlm.nih.gov/research/umls/rxnorm*6437202lenalidomide 25 MG Oral Capsule"lenalidomide 25 MG Oral Capsuleª.,Patient/014f3375-401c-43fe-9c3b-b55d87d9eb30Â€àû‡‰£˜+00:00Ê2Synthetic Oncologist, MDò0.Condition/8612b363-b483-4a79-88a0-05443f231a14²’ **25 mg daily on days 1-21 of a 28-day cycleB7"5*
21*days2http://unitsofmeasure.org:dXj
1xb0.http://snomed.info/sct*266430062
Oral routerwJH4http://terminology.hl7.org/CodeSystem/dose-rate-type*ordered2Ordered*)
25*mg2http://unitsofmeasure.org:mgJ“
medicationRequestsübùXhzÀ"Shttps://ehr.example.org/fhir/MedicationRequest/44a5418d-262d-4ad0-bea2-558c3ad7d1cc*äá
$44a5418d-262d-4ad0-bea2-558c3ad7d1cc`"€àû‡‰£˜+00:002Ihttp://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequestXhr\Z@http://terminology.hl7.org/CodeSystem/medicationrequest-category*
outpatient2
OutpatientšOA+http://www.nlm.nih.gov/research/umls/rxnorm*3582582
bortezomib"
bortezomibª.,Patient/014f3375-401c-43fe-9c3b-b55d87d9eb30Â€ ‹Ğ¥ó—+00:00Ê2Synthetic Oncologist, MDò0.Condition/8612b363-b483-4a79-88a0-05443f231a14²Š B"
Xj
21xrxJH4http://terminology.hl7.org/CodeSystem/dose-rate-type*ordered2Ordered**
2.3*mg2http://unitsofmeasure.org:mg2z¯"Shttps://ehr.example.org/fhir/MedicationRequest/afb52790-9974-477a-8e65-0b95b191ded5*ÓĞ
$afb52790-9974-477a-8e65-0b95b191ded5`"€àû‡‰£˜+00:002Ihttp://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequestXhr\Z@http://terminology.hl7.org/CodeSystem/medicationrequest-category*
outpatient2
OutpatientšSB+http://www.nlm.nih.gov/research/umls/rxnorm*32642dexamethasone"dexamethasoneª.,Patient/014f3375-401c-43fe-9c3b-b55d87d9eb30Â€àÔ´ö‰˜+00:00Ê2Synthetic Oncologist, MDò0.Condition/8612b363-b483-4a79-88a0-05443f231a14²õ *820 mg on days 1, 2, 4, 5, 8, 9, 11, 12 of a 21-day cycleB"
Xj
21xb0.http://snomed.info/sct*266430062
Oral routerwJH4http://terminology.hl7.org/CodeSystem/dose-rate-type*ordered2Ordered*)
20*mg2http://unitsofmeasure.org:mg2Jî
	allergiesàbİXhzÖ"Thttps://ehr.example.org/fhir/AllergyIntolerance/4b3ba209-0def-4ccd-bf02-a68dab12218b*ùJö
$4b3ba209-0def-4ccd-bf02-a68dab12218ba"€àû‡‰£˜+00:002Jhttp://hl7.org/fhir/us/core/StructureDefinition/us-core-allergyintoleranceZUSAhttp://terminology.hl7.org/CodeSystem/allergyintolerance-clinical*active2Activeb_]Ehttp://terminology.hl7.org/CodeSystem/allergyintolerance-verification*	confirmed2	Confirmedhrx‚	"aspirinŠ.,Patient/014f3375-401c-43fe-9c3b-b55d87d9eb30ÂÀ—˜ğİŠ‡+00:00êX"T:http://snomed.info/sct*395790012Anaphylaxis (disorder)"Anaphylaxis (disorder)82J€
observationsïbìXhzê"Mhttps://ehr.example.org/fhir/Observation/186ae69b-f86a-4a6d-86ef-99100c5dfed3*”:‘
$186ae69b-f86a-4a6d-86ef-99100c5dfed3I"€àû‡‰£˜+00:0022http://hl7.org/fhir/StructureDefinition/bodyweighthrXV:http://terminology.hl7.org/CodeSystem/observation-category*vital-signs2Vital Signsz7(http://loinc.org*29463-72Body weight"Body weight‚.,Patient/014f3375-401c-43fe-9c3b-b55d87d9eb30š€àŞùîÿ—+00:00º€¨­®üÿ—+00:00Ê+
82.0*kg2http://unitsofmeasure.org:kg2zè"Mhttps://ehr.example.org/fhir/Observation/ed7d7a5d-9315-4a0e-a5f7-1455229b960a*’:
$ed7d7a5d-9315-4a0e-a5f7-1455229b960aI"€àû‡‰£˜+00:0022http://hl7.org/fhir/StructureDefinition/bodyheighthrXV:http://terminology.hl7.org/CodeSystem/observation-category*vital-signs2Vital Signsz6'http://loinc.org*8302-22Body height"Body height‚.,Patient/014f3375-401c-43fe-9c3b-b55d87d9eb30š€àŞùîÿ—+00:00º€¨­®üÿ—+00:00Ê*
151*cm2http://unitsofmeasure.org:cm2z"Mhttps://ehr.example.org/fhir/Observation/f86b7675-4d07-4643-84e7-9fea22a94d50*·:´
$f86b7675-4d07-4643-84e7-9fea22a94d50B"€àû‡‰£˜+00:002+http://hl7.org/fhir/StructureDefinition/bmihrXV:http://terminology.hl7.org/CodeSystem/observation-category*vital-signs2Vital Signsz[:http://loinc.org*39156-52Body mass index (BMI) [Ratio]"Body mass index (BMI) [Ratio]‚.,Patient/014f3375-401c-43fe-9c3b-b55d87d9eb30š€àŞùîÿ—+00:00º€¨­®üÿ—+00:00Ê1
36.0*kg/m22http://unitsofmeasure.org:kg/m22Jü
patientğ
í
$014f3375-401c-43fe-9c3b-b55d87d9eb30V"€àû‡‰£˜+00:002?http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient2<http://hl7.org/fhir/us/core/StructureDefinition/us-core-raceò?ombCategoryZ0urn:oid:2.16.840.1.113883.6.238*2106-32WhiteòtextWhiteR "cJ-http://terminology.hl7.org/CodeSystem/v2-0203*MR2Medical Record Number"Medical Record Number*(https://thrombo.example.org/fhir/sid/mrn2SYN6194638888Xb$official*	Synthetic2Patient638888hr€€¢¶™ÂÚÿÿJ
medicationStatementsbXJÈ

procedures¹b¶Xhz¯"Khttps://ehr.example.org/fhir/Procedure/39832e33-7aa8-4ab4-99b3-ff36d5b14e70*ÛBØ
$39832e33-7aa8-4ab4-99b3-ff36d5b14e70X"€àû‡‰£˜+00:002Ahttp://hl7.org/fhir/us/core/StructureDefinition/us-core-procedurex’‹Vhttp://snomed.info/sct*	44230900421Insertion of tunneled venous catheter (procedure)"1Insertion of tunneled venous catheter (procedure)š.,Patient/014f3375-401c-43fe-9c3b-b55d87d9eb30ª€à£á÷’+00:002JÒ

conditionsÃbÀXhz¹"Khttps://ehr.example.org/fhir/Condition/8612b363-b483-4a79-88a0-05443f231a14*å2â
$8612b363-b483-4a79-88a0-05443f231a14X"€àû‡‰£˜+00:002Ahttp://hl7.org/fhir/us/core/StructureDefinition/us-core-conditionZDB8http://terminology.hl7.org/CodeSystem/condition-clinical*activebIG:http://terminology.hl7.org/CodeSystem/condition-ver-status*	confirmedjb`8http://terminology.hl7.org/CodeSystem/condition-category*problem-list-item2Problem List Itemz[!http://hl7.org/fhir/sid/icd-10-cm*C90.002.Multiple myeloma not having achieved remission".Multiple myeloma not having achieved remissionŠ.,Patient/014f3375-401c-43fe-9c3b-b55d87d9eb30š€ÊÛì€‚˜+00:00ê€ÊÛì€‚˜+00:002