-- Starting values of the extendable code lists: common target groups and
-- the 17 goals of Agenda 2030. Admins add municipal goal sets (such as
-- Jämlikt Göteborg) and further target groups through the API.

-- +goose Up
INSERT INTO code_list_entries (list, code, label_sv, label_en, sort_order) VALUES
 ('target_groups', 'barn_och_unga', 'Barn och unga', 'Children and young people', 10),
 ('target_groups', 'unga', 'Unga', 'Young people', 20),
 ('target_groups', 'unga_vuxna', 'Unga vuxna', 'Young adults', 30),
 ('target_groups', 'ensamkommande_barn', 'Ensamkommande barn och unga', 'Unaccompanied minors', 40),
 ('target_groups', 'familjer', 'Familjer', 'Families', 50),
 ('target_groups', 'psykisk_ohalsa', 'Personer med psykisk ohälsa', 'People with mental ill-health', 60),
 ('target_groups', 'funktionsnedsattning', 'Personer med funktionsnedsättning', 'People with disabilities', 70),
 ('target_groups', 'hemlosa', 'Personer i hemlöshet', 'Homeless people', 80),
 ('target_groups', 'asylsokande', 'Asylsökande', 'Asylum seekers', 90),
 ('target_groups', 'nyanlanda', 'Nyanlända', 'Newly arrived migrants', 100),
 ('target_groups', 'arbetssokande', 'Arbetssökande', 'Jobseekers', 110),
 ('target_groups', 'kvinnor_utanfor_arbetsmarknaden', 'Kvinnor långt från arbetsmarknaden', 'Women far from the labour market', 120),
 ('target_groups', 'aldre', 'Äldre', 'Older people', 130),
 ('target_groups', 'beroende', 'Personer med beroendeproblem', 'People with addiction', 140);

INSERT INTO code_list_entries (list, code, label_sv, label_en, goal_set, sort_order) VALUES
 ('policy_goals', 'sdg_1', 'Ingen fattigdom', 'No poverty', 'agenda2030', 1),
 ('policy_goals', 'sdg_2', 'Ingen hunger', 'Zero hunger', 'agenda2030', 2),
 ('policy_goals', 'sdg_3', 'God hälsa och välbefinnande', 'Good health and well-being', 'agenda2030', 3),
 ('policy_goals', 'sdg_4', 'God utbildning för alla', 'Quality education', 'agenda2030', 4),
 ('policy_goals', 'sdg_5', 'Jämställdhet', 'Gender equality', 'agenda2030', 5),
 ('policy_goals', 'sdg_6', 'Rent vatten och sanitet för alla', 'Clean water and sanitation', 'agenda2030', 6),
 ('policy_goals', 'sdg_7', 'Hållbar energi för alla', 'Affordable and clean energy', 'agenda2030', 7),
 ('policy_goals', 'sdg_8', 'Anständiga arbetsvillkor och ekonomisk tillväxt', 'Decent work and economic growth', 'agenda2030', 8),
 ('policy_goals', 'sdg_9', 'Hållbar industri, innovationer och infrastruktur', 'Industry, innovation and infrastructure', 'agenda2030', 9),
 ('policy_goals', 'sdg_10', 'Minskad ojämlikhet', 'Reduced inequalities', 'agenda2030', 10),
 ('policy_goals', 'sdg_11', 'Hållbara städer och samhällen', 'Sustainable cities and communities', 'agenda2030', 11),
 ('policy_goals', 'sdg_12', 'Hållbar konsumtion och produktion', 'Responsible consumption and production', 'agenda2030', 12),
 ('policy_goals', 'sdg_13', 'Bekämpa klimatförändringarna', 'Climate action', 'agenda2030', 13),
 ('policy_goals', 'sdg_14', 'Hav och marina resurser', 'Life below water', 'agenda2030', 14),
 ('policy_goals', 'sdg_15', 'Ekosystem och biologisk mångfald', 'Life on land', 'agenda2030', 15),
 ('policy_goals', 'sdg_16', 'Fredliga och inkluderande samhällen', 'Peace, justice and strong institutions', 'agenda2030', 16),
 ('policy_goals', 'sdg_17', 'Genomförande och globalt partnerskap', 'Partnerships for the goals', 'agenda2030', 17);

-- +goose Down
DELETE FROM code_list_entries WHERE (list = 'target_groups' AND code IN ('barn_och_unga', 'unga', 'unga_vuxna',
  'ensamkommande_barn', 'familjer', 'psykisk_ohalsa', 'funktionsnedsattning', 'hemlosa', 'asylsokande', 'nyanlanda',
  'arbetssokande', 'kvinnor_utanfor_arbetsmarknaden', 'aldre', 'beroende'))
  OR (list = 'policy_goals' AND goal_set = 'agenda2030');
